package dev.switchboard.stores.postgres;

import dev.switchboard.stores.postgres.PostgresWriter.Outcome;
import dev.switchboard.stores.postgres.PostgresWriter.Request;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * One batch of writes, committed in one transaction on the writer's connection.
 *
 * <p>First pipelined: {@code BEGIN}, then each write's statements right behind the previous
 * write's, without waiting for answers, in the order the writes were queued; a write that depends on
 * answers (see {@link PostgresWriter#pipelined}) is waited for before the next one sends anything.
 * Then, if every write succeeded, {@code COMMIT}: two round trips for the whole batch. Since the
 * statements reach PostgreSQL in the order in which the writes would have sent them one after the
 * other, the outcome is the one of running the writes one after the other.
 *
 * <p>If a write fails, the transaction is rolled back, and the batch runs again with each write in
 * a savepoint of its own, one write after the other, so that a write that fails again is rolled back
 * alone and the others commit. The first write that failed keeps its failure and does not run again:
 * the writes before it succeeded, its statements went out one behind the other after theirs, so it
 * failed as it would have after them; unless its failure is {@link WriterTransaction.Unattributed}
 * (a statement it sent on its way to a failure came after the next write's, or its events went in one
 * statement with other writes' and that failed), and then it runs again with the others.
 *
 * <p>{@code BEGIN} goes out with the statements behind it, as pgjdbc sends it: on an idle connection
 * it cannot fail but with the connection, and then so does everything sent behind it.
 */
final class WriterBatch {

  /** The transaction never began: nothing of the batch was written, it may be tried again. */
  static final class NotBegun extends RuntimeException {
    NotBegun(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** A write failed: the transaction must be rolled back. */
  private static final class WriteFailed extends RuntimeException {
    private final int index;
    private final boolean alone;

    /** @param alone whether the write failed on its own account, as it would have alone */
    WriteFailed(int index, Throwable cause, boolean alone) {
      super(cause.getMessage(), cause, false, false);
      this.index = index;
      this.alone = alone;
    }
  }

  private final SqlConnection connection;
  private final List<Request> batch;
  private final AtomicBoolean commitSent;
  private final WriterCounts counts;
  private final String origin;
  private final IntConsumer committed;

  /**
   * @param commitSent set as {@code COMMIT} is sent
   * @param counts     counts what the writer sent
   * @param origin     the store's id, for the notification
   * @param committed  told of each commit, with the number of writes of the batch
   */
  WriterBatch(SqlConnection connection, List<Request> batch, AtomicBoolean commitSent, WriterCounts counts,
              String origin, IntConsumer committed) {
    this.connection = connection;
    this.batch = batch;
    this.commitSent = commitSent;
    this.counts = counts;
    this.origin = origin;
    this.committed = committed;
  }

  /** What became of each write; fails as a whole if the transaction could not be committed or rolled back. */
  Future<List<Outcome>> run() {
    return attempt(this::pipelined).recover(failure -> {
      if (!(failure instanceof WriteFailed failed)) {
        return Future.failedFuture(failure);
      }
      List<Request> again = new ArrayList<>(batch);
      List<Outcome> outcomes = new ArrayList<>(batch.size());
      if (failed.alone) {
        outcomes.add(Outcome.rolledBack(again.remove(failed.index), failed.getCause()));
        if (again.isEmpty()) {
          return Future.succeededFuture(outcomes);
        }
      }
      return attempt(transaction -> inSavepoints(0, transaction, again, outcomes));
    });
  }

  /**
   * One transaction: {@code BEGIN}, the writes, then {@code COMMIT} if any write is kept, else
   * {@code ROLLBACK}. A failure of the whole (a statement of the transaction itself, or a write that
   * failed outside a savepoint) rolls back whatever may be left.
   */
  private Future<List<Outcome>> attempt(Function<WriterTransaction, Future<List<Outcome>>> writes) {
    WriterTransaction transaction = new WriterTransaction(connection, counts, origin);
    Future<Void> begun = transaction.begin();
    Future<List<Outcome>> ran = writes.apply(transaction);
    return begun
        .transform(began -> began.succeeded() ? ran
            // what was sent behind BEGIN fails with it: the connection is let go once it has
            : ran.transform(whatever -> Future.failedFuture(new NotBegun(began.cause()))))
        .compose(outcomes -> {
          if (outcomes.stream().noneMatch(Outcome::kept)) {
            return transaction.rollback().map(outcomes); // nothing to keep
          }
          return transaction.readyToCommit()
              .compose(ready -> {
                commitSent.set(true);
                return transaction.commit();
              })
              .map(done -> {
                committed.accept(batch.size());
                return outcomes;
              });
        })
        .recover(e -> {
          if (e instanceof NotBegun) {
            return Future.failedFuture(e);
          }
          // a write that failed is its own failure only if the transaction could be rolled back;
          // if not, the connection broke, and the whole batch fails
          return transaction.rollback().transform(rolledBack -> Future.failedFuture(
              rolledBack.failed() && e instanceof WriteFailed failed ? failed.getCause() : e));
        });
  }

  /** Every write, pipelined; the first that failed fails the transaction. */
  private Future<List<Outcome>> pipelined(WriterTransaction transaction) {
    transaction.collectEvents();
    List<Future<Object>> results = new ArrayList<>(batch.size());
    List<PostgresWriter.Tx> writes = new ArrayList<>(batch.size());
    return sendFrom(0, transaction, results, writes)
        .compose(ownAnswered -> Future.join(results).transform(joined -> {
          for (int index = 0; index < results.size(); index++) {
            Future<Object> result = results.get(index);
            if (result.failed()) {
              boolean alone = !(result.cause() instanceof WriterTransaction.Unattributed);
              return Future.failedFuture(new WriteFailed(index, result.cause(), alone));
            }
          }
          List<Outcome> outcomes = new ArrayList<>(batch.size());
          for (int index = 0; index < batch.size(); index++) {
            outcomes.add(Outcome.kept(batch.get(index), results.get(index).result(), writes.get(index)));
          }
          return ownAnswered.map(outcomes);
        }));
  }

  /**
   * Sends the statements of the writes from {@code first} on, each write's behind the previous
   * one's, waiting only for writes that depend on answers (and stopping at one that failed); then
   * the events collected and the notification, behind the last write's statements. Completes once
   * everything was sent, with the answer to the transaction's own statements, awaited only after the
   * writes' outcomes (a failed write makes them fail too).
   */
  private Future<Future<Void>> sendFrom(int first, WriterTransaction transaction, List<Future<Object>> results,
                                       List<PostgresWriter.Tx> writes) {
    for (int index = first; index < batch.size(); index++) {
      PostgresWriter.Tx tx = new PostgresWriter.Tx(transaction, PostgresWriter.isPipelined(batch.get(index).work()));
      writes.add(tx);
      transaction.makeCurrent(tx);
      Future<Object> result = settled(tx, run(tx, batch.get(index)));
      results.add(result);
      if (tx.waitedFor()) {
        int next = index + 1;
        return result.transform(done -> done.succeeded()
            ? sendFrom(next, transaction, results, writes)
            : Future.succeededFuture(Future.succeededFuture()));
      }
    }
    // the last write stays the one that may send: nothing of another write can come after its statements
    transaction.sentEveryWrite();
    return Future.succeededFuture(transaction.readyToCommit());
  }

  /** The writes one after the other, each in its own savepoint. */
  private Future<List<Outcome>> inSavepoints(int index, WriterTransaction transaction, List<Request> writes,
                                             List<Outcome> outcomes) {
    if (index == writes.size()) {
      return Future.succeededFuture(outcomes);
    }
    Request request = writes.get(index);
    Future<Void> saved = transaction.savepoint();
    PostgresWriter.Tx tx = new PostgresWriter.Tx(transaction, false);
    transaction.makeCurrent(tx);
    Future<Object> ran = settled(tx, run(tx, request));
    return saved
        .compose(savepoint -> ran.transform(result -> {
          if (result.succeeded()) {
            return transaction.releaseSavepoint().map(released -> outcomes.add(Outcome.kept(request, result.result(), tx)));
          }
          // if even this fails, the connection is gone: the whole batch fails
          return transaction.rollbackToSavepoint().map(rolledBack -> {
            tx.discarded();
            return outcomes.add(Outcome.rolledBack(request, result.cause()));
          });
        }))
        .compose(done -> inSavepoints(index + 1, transaction, writes, outcomes));
  }

  /**
   * The write's value once every statement it sent has been answered, none with a failure. A write
   * that failed because a statement of its own was refused as "current transaction is aborted" fails
   * as the statement before it that did fail.
   */
  private static Future<Object> settled(PostgresWriter.Tx tx, Future<Object> result) {
    return result.transform(done -> tx.answered().transform(answered -> {
      if (answered.failed() && (done.succeeded() || PostgresFailures.isTransactionAborted(done.cause()))) {
        return Future.failedFuture(answered.cause());
      }
      return done.succeeded() ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause());
    }));
  }

  private static Future<Object> run(PostgresWriter.Tx tx, Request request) {
    try {
      Future<Object> result = request.work().run(tx);
      return result != null ? result : Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
