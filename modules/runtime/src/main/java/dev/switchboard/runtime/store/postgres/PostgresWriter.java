package dev.switchboard.runtime.store.postgres;

import dev.switchboard.runtime.store.StoreUnavailable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The PostgreSQL store's one writer per node, with group commit.
 *
 * <p>Writes queue here (a bounded queue: a full one fails the write at once with
 * {@link StoreUnavailable} rather than growing without limit). The writer, on a Vert.x context of
 * its own, takes whatever is queued, up to {@code maxBatch}, and runs it in one transaction on one
 * pooled connection: one commit (one WAL flush, one turn of the append lock) for many writes when
 * load is high, one write per transaction when it is low. A write that fails (a concurrency
 * conflict, say) is rolled back alone and the others of its batch still commit: the batch runs again
 * without it, each write in a savepoint of its own (see {@link #transaction}).
 *
 * <p>Everything is asynchronous (vertx-pg-client); nothing blocks an event loop. The transaction is
 * driven with plain {@code BEGIN} / {@code COMMIT} statements rather than {@code SqlConnection.begin()}:
 * the client's {@code Transaction} marks itself failed at the first failed statement and then turns
 * the final commit into a rollback, even after a {@code ROLLBACK TO SAVEPOINT} repaired the
 * transaction, which would defeat the per-write savepoints.
 *
 * <p>A write is reported successful only after its transaction's {@code COMMIT} succeeded. When the
 * connection breaks (the server restarts, an operator runs {@code pg_terminate_backend}), every
 * write of the batch fails with {@link StoreUnavailable} (the caller retries; a commit whose answer
 * was lost may have happened, which optimistic concurrency and the inboxes make harmless) and the
 * next batch takes a fresh connection from the pool. A batch that fails before {@code BEGIN} was
 * answered (typically: the pool handed out a connection the server had just ended) is tried once
 * more, {@value #RECOVERY_DELAY_MILLIS} ms later, on another connection, since nothing of it can have
 * been written. A batch that hangs (no answer within the batch timeout) is failed the same way and
 * the writer's pool replaced.
 */
final class PostgresWriter {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresWriter.class);
  /**
   * How long the writer pauses after a batch failed for want of a connection, before it tries again
   * or goes on: long enough for the pool to notice that a connection the server ended is gone (its
   * close event must get its turn on the event loop), short enough not to matter to a caller.
   */
  static final long RECOVERY_DELAY_MILLIS = 100;

  /** A piece of work on the writer's connection; runs inside the batch's transaction. */
  interface Work<T> {
    Future<T> run(Tx tx);
  }

  /**
   * The batch's transaction, as one work sees it: its connection, the append lock, and the
   * positions it appended (for the notification at commit).
   */
  static final class Tx {
    private final SqlConnection connection;
    private boolean locked;
    private boolean lockedByCurrentWork;
    private long keptMaxPosition;
    private long currentMaxPosition;

    private Tx(SqlConnection connection) {
      this.connection = connection;
    }

    SqlConnection connection() {
      return connection;
    }

    /**
     * Takes the append lock, unless this transaction holds it already. Held until the commit
     * (or rollback); so every position this transaction takes is taken, and becomes visible, after
     * those of every transaction that appended before it, on any node.
     */
    Future<Void> lockForAppend() {
      if (locked) {
        return Future.succeededFuture();
      }
      return connection.preparedQuery(PostgresSql.LOCK_APPENDS).execute(Tuple.of(PostgresSql.APPEND_LOCK_KEY))
          .map(rows -> {
            locked = true;
            lockedByCurrentWork = true;
            return null;
          });
    }

    void appended(long position) {
      currentMaxPosition = Math.max(currentMaxPosition, position);
    }

    private void startWork() {
      lockedByCurrentWork = false;
      currentMaxPosition = 0;
    }

    private void keepWork() {
      keptMaxPosition = Math.max(keptMaxPosition, currentMaxPosition);
    }

    /** The work's savepoint was rolled back: with it any lock taken inside it (PostgreSQL releases it). */
    private void discardWork() {
      if (lockedByCurrentWork) {
        locked = false;
      }
      currentMaxPosition = 0;
    }
  }

  private record Request<T>(Work<T> work, Promise<T> promise, Context context) {
  }

  private record Outcome(Request<Object> request, Object value, Throwable failure) {
  }

  /** A write of a batch run without savepoints failed: the transaction must be rolled back. */
  private static final class WorkFailed extends RuntimeException {
    private final int index;

    WorkFailed(int index, Throwable cause) {
      super(cause.getMessage(), cause, false, false);
      this.index = index;
    }
  }

  /** The transaction never began: nothing of the batch was written, it may be tried again. */
  private static final class NotBegun extends RuntimeException {
    NotBegun(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** Gives the writer a Vert.x context of its own. */
  private static final class Home extends VerticleBase {
    Context context() {
      return context;
    }
  }

  private final Vertx vertx;
  private final Supplier<Pool> pools;
  private final long batchTimeoutMillis;
  private final BlockingQueue<Request<Object>> queue;
  private final int maxBatch;
  private final String origin;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong batchedWrites = new AtomicLong();
  private final Promise<Void> drained = Promise.promise();
  private Pool pool;
  private Context context;
  private String deploymentId;
  private boolean busy;
  private volatile boolean closing;

  /**
   * @param pools              makes the writer's pool (of one connection), again if a batch hangs
   * @param batchTimeoutMillis how long a batch may take before the writer gives up on it (a network
   *                           partition leaves a query unanswered forever): it fails the batch's writes
   *                           with {@link StoreUnavailable} and replaces its pool, hung connection and all
   * @param origin             the store's id, sent with each notification so that the store can tell its
   *                           own appends (whose listeners it has run already) from other nodes'
   */
  PostgresWriter(Vertx vertx, Supplier<Pool> pools, long batchTimeoutMillis, int queueCapacity, int maxBatch,
      String origin) {
    this.vertx = vertx;
    this.pools = pools;
    this.batchTimeoutMillis = batchTimeoutMillis;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.maxBatch = maxBatch;
    this.origin = origin;
  }

  Future<Void> start() {
    pool = pools.get();
    Home home = new Home();
    return vertx.deployVerticle(home).map(id -> {
      deploymentId = id;
      context = home.context();
      return null;
    });
  }

  @SuppressWarnings("unchecked")
  <T> Future<T> submit(Context caller, Work<T> work) {
    if (closing) {
      return Future.failedFuture(new StoreUnavailable("the PostgreSQL store is closed", null));
    }
    Promise<T> promise = Promise.promise();
    Request<Object> request = (Request<Object>) (Request<?>) new Request<>(work, promise, caller);
    if (!queue.offer(request)) {
      return Future.failedFuture(new StoreUnavailable(
          "the PostgreSQL store's write queue is full (" + queue.size() + " waiting): try again later", null));
    }
    if (closing && queue.remove(request)) { // closed meanwhile, and the writer has not taken it
      return Future.failedFuture(new StoreUnavailable("the PostgreSQL store is closed", null));
    }
    schedule();
    return promise.future();
  }

  /** Stops taking writes, commits what is queued, then undeploys the writer's context. */
  Future<Void> close(long timeoutMillis) {
    closing = true;
    if (context == null) { // never started
      return pool == null ? Future.succeededFuture() : pool.close();
    }
    schedule();
    return drained.future()
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .eventually(() -> pool.close())
        .eventually(() -> vertx.undeploy(deploymentId).recover(e -> Future.succeededFuture()))
        .eventually(() -> {
          // what did not get done in time is failed, not left waiting forever
          List<Request<Object>> left = new ArrayList<>();
          queue.drainTo(left);
          StoreUnavailable failure = new StoreUnavailable("the PostgreSQL store closed before this write was done", null);
          left.forEach(request -> complete(new Outcome(request, null, failure)));
          return Future.succeededFuture();
        });
  }

  /** Transactions committed so far (each carrying one write or a batch of them). */
  long committedTransactions() {
    return transactions.get();
  }

  /** Writes that went through a committed transaction so far, whether they succeeded or failed alone. */
  long committedWrites() {
    return batchedWrites.get();
  }

  // ---------------------------------------------------------------- the loop, on the writer's context

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        scheduled.set(false);
        pump();
      });
    }
  }

  private void pump() {
    if (busy) {
      return;
    }
    if (queue.isEmpty()) {
      if (closing) {
        drained.tryComplete();
      }
      return;
    }
    busy = true;
    List<Request<Object>> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
    queue.drainTo(batch, maxBatch);
    commitBatch(batch, true).onComplete(done -> {
      if (done.succeeded()) {
        busy = false;
        pump();
      } else { // the batch failed as a whole: give the pool a moment to drop broken connections
        vertx.setTimer(RECOVERY_DELAY_MILLIS, timer -> {
          busy = false;
          pump();
        });
      }
    });
  }

  private Future<Void> commitBatch(List<Request<Object>> batch, boolean mayRetry) {
    Pool used = pool;
    // once COMMIT is sent, a failure with no answer leaves the outcome unknown; before, nothing was written
    AtomicBoolean commitSent = new AtomicBoolean();
    return used.getConnection()
        .recover(e -> Future.failedFuture(new NotBegun(e)))
        .compose(connection -> {
          // the batch's own statements report what goes wrong; without a handler the client prints it
          connection.exceptionHandler(failure -> LOG.debug("PostgreSQL store: writer connection: {}", failure.toString()));
          return transaction(connection, batch, commitSent).eventually(connection::close);
        })
        .timeout(batchTimeoutMillis, TimeUnit.MILLISECONDS)
        .transform(done -> {
          if (done.failed() && done.cause() instanceof TimeoutException) {
            // the connection hangs: whatever it answers later is ignored; its pool goes, a new one comes
            LOG.error("PostgreSQL store: a batch of {} writes got no answer within {} ms; replacing the connection",
                batch.size(), batchTimeoutMillis);
            pool = pools.get();
            used.close();
          }
          if (done.succeeded()) {
            done.result().forEach(this::complete);
            return Future.succeededFuture();
          }
          boolean notBegun = done.cause() instanceof NotBegun;
          Throwable cause = notBegun ? done.cause().getCause() : done.cause();
          if (notBegun && mayRetry) {
            LOG.warn("PostgreSQL store: could not begin a transaction ({}); trying once more in {} ms",
                cause.toString(), RECOVERY_DELAY_MILLIS);
            return vertx.timer(RECOVERY_DELAY_MILLIS, TimeUnit.MILLISECONDS).compose(v -> commitBatch(batch, false));
          }
          boolean mayHaveCommitted = !notBegun && commitSent.get();
          LOG.error("PostgreSQL store: a batch of {} writes failed to commit{}: {}", batch.size(),
              mayHaveCommitted ? " (no answer to COMMIT: it may have committed)" : "", cause.toString());
          StoreUnavailable failure = new StoreUnavailable((mayHaveCommitted
              ? "the PostgreSQL store did not answer whether it committed: " : "the PostgreSQL store failed to commit: ")
              + cause.getMessage(), cause, mayHaveCommitted);
          batch.forEach(request -> complete(new Outcome(request, null, failure)));
          return Future.failedFuture(failure);
        });
  }

  /**
   * Runs the batch in one transaction. Writes seldom fail, so the batch runs first without
   * savepoints, two statements (round trips) fewer per write. If one fails, the transaction is
   * rolled back, that write fails alone, and the others (if any) run again in a new transaction,
   * each in a savepoint of its own since another of them may fail too. Every write meets again the
   * same writes before it (less the one that failed, rolled back as its savepoint would have been),
   * so the outcome is the one savepoints would have given.
   */
  private Future<List<Outcome>> transaction(SqlConnection connection, List<Request<Object>> batch,
                                            AtomicBoolean commitSent) {
    return attempt(connection, batch.size(), commitSent, tx -> runWithoutSavepoints(0, tx, batch, new ArrayList<>()))
        .recover(failure -> {
          if (!(failure instanceof WorkFailed failed)) {
            return Future.failedFuture(failure);
          }
          List<Request<Object>> others = new ArrayList<>(batch);
          Outcome failedAlone = new Outcome(others.remove(failed.index), null, failed.getCause());
          if (others.isEmpty()) {
            return Future.succeededFuture(List.of(failedAlone));
          }
          return attempt(connection, batch.size(), commitSent, tx -> runInSavepoints(0, tx, others, new ArrayList<>()))
              .map(outcomes -> {
                List<Outcome> all = new ArrayList<>(batch.size());
                all.add(failedAlone);
                all.addAll(outcomes);
                return all;
              });
        });
  }

  /**
   * One transaction: {@code BEGIN}, the writes, then {@code COMMIT} if any write succeeded, else
   * {@code ROLLBACK}. A failure of the whole (a statement of the transaction itself, or a write
   * that failed outside a savepoint) rolls back whatever may be left.
   *
   * @param writes     the writes of the batch this transaction completes, for the statistics
   * @param commitSent set as {@code COMMIT} is sent
   */
  private Future<List<Outcome>> attempt(SqlConnection connection, int writes, AtomicBoolean commitSent,
                                        Function<Tx, Future<List<Outcome>>> body) {
    Tx tx = new Tx(connection);
    return connection.query("BEGIN").execute()
        .recover(e -> Future.failedFuture(new NotBegun(e)))
        .compose(begun -> body.apply(tx))
        .compose(outcomes -> {
          if (outcomes.stream().allMatch(outcome -> outcome.failure() != null)) {
            return connection.query("ROLLBACK").execute().map(outcomes); // nothing to keep
          }
          return notifyAppended(tx)
              .compose(notified -> {
                commitSent.set(true);
                return connection.query("COMMIT").execute();
              })
              .map(committed -> {
                transactions.incrementAndGet();
                batchedWrites.addAndGet(writes);
                return outcomes;
              });
        })
        .recover(e -> {
          if (e instanceof NotBegun) {
            return Future.failedFuture(e);
          }
          // a write that failed is its own failure only if the transaction could be rolled back;
          // if not, the connection broke, and the whole batch fails
          return connection.query("ROLLBACK").execute().transform(rolledBack -> Future.failedFuture(
              rolledBack.failed() && e instanceof WorkFailed failed ? failed.getCause() : e));
        });
  }

  /** Runs the batch's writes one after the other; the first that fails fails the transaction. */
  private Future<List<Outcome>> runWithoutSavepoints(int index, Tx tx, List<Request<Object>> batch,
                                                     List<Outcome> outcomes) {
    if (index == batch.size()) {
      return Future.succeededFuture(outcomes);
    }
    Request<Object> request = batch.get(index);
    tx.startWork();
    return run(tx, request).transform(ran -> {
      if (ran.failed()) {
        return Future.failedFuture(new WorkFailed(index, ran.cause()));
      }
      tx.keepWork();
      outcomes.add(new Outcome(request, ran.result(), null));
      return runWithoutSavepoints(index + 1, tx, batch, outcomes);
    });
  }

  /** Runs the batch's writes one after the other, each in its own savepoint. */
  private Future<List<Outcome>> runInSavepoints(int index, Tx tx, List<Request<Object>> batch, List<Outcome> outcomes) {
    if (index == batch.size()) {
      return Future.succeededFuture(outcomes);
    }
    Request<Object> request = batch.get(index);
    SqlConnection connection = tx.connection();
    tx.startWork();
    return connection.query("SAVEPOINT work").execute()
        .compose(saved -> run(tx, request).transform(ran -> {
          if (ran.succeeded()) {
            return connection.query("RELEASE SAVEPOINT work").execute().map(released -> {
              tx.keepWork();
              outcomes.add(new Outcome(request, ran.result(), null));
              return null;
            });
          }
          // if even this fails, the connection is gone: the whole batch fails
          return connection.query("ROLLBACK TO SAVEPOINT work").execute().map(rolledBack -> {
            tx.discardWork();
            outcomes.add(new Outcome(request, null, ran.cause()));
            return null;
          });
        }))
        .compose(done -> runInSavepoints(index + 1, tx, batch, outcomes));
  }

  private static Future<Object> run(Tx tx, Request<Object> request) {
    try {
      Future<Object> result = request.work().run(tx);
      return result != null ? result : Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * {@code NOTIFY} (delivered by PostgreSQL at commit, and only if it commits) so that listeners on
   * every node wake up; the payload is the highest position appended and this store's id.
   */
  private Future<Void> notifyAppended(Tx tx) {
    if (tx.keptMaxPosition == 0) {
      return Future.succeededFuture();
    }
    String payload = new JsonObject().put("position", tx.keptMaxPosition).put("origin", origin).encode();
    return tx.connection().preparedQuery(PostgresSql.NOTIFY).execute(Tuple.of(PostgresSql.CHANNEL, payload)).mapEmpty();
  }

  private void complete(Outcome outcome) {
    Request<Object> request = outcome.request();
    Runnable completion = outcome.failure() == null
        ? () -> request.promise().complete(outcome.value())
        : () -> request.promise().fail(PostgresFailures.of(outcome.failure()));
    if (request.context() != null) {
      request.context().runOnContext(v -> completion.run());
    } else {
      completion.run();
    }
  }
}
