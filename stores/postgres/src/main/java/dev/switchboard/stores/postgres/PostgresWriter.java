package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.RecentEvents;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.write.Undone;
import dev.switchboard.runtime.store.write.WriteQueue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The PostgreSQL store's one writer per node, with group commit.
 *
 * <p>Writes queue here (in the runtime's {@link WriteQueue}: bounded, a full one fails the write at
 * once with {@link StoreUnavailable}). The writer, on a Vert.x context of
 * its own, takes whatever is queued, up to {@code maxBatch}, and runs it in one transaction on one
 * pooled connection: one commit (one WAL flush, one turn of the append lock) for many writes when
 * load is high, one write per transaction when it is low. The statements of a batch go out one
 * behind the other without waiting for answers (pipelined), so that a batch takes two round trips
 * rather than a few per write. A write that fails (a concurrency conflict, say) is rolled back alone
 * and the others of its batch still commit: the batch runs again, each write in a savepoint of its
 * own (see {@link WriterBatch}).
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
   * Marks {@code work} as one that sends, before {@code run} returns, every statement it sends when
   * all goes as expected (through {@link Tx#execute}, {@link Tx#executeBatch} and {@link Tx#lockForAppend}),
   * or says otherwise with {@link Tx#dependsOnAnswers}: the writer then sends the next write's
   * statements right behind its statements, without waiting for their answers. Statements it sends
   * only on its way to a failure may come late; they then fail, the batch is rolled back and runs again
   * one write at a time (see {@link WriterBatch}). A work not so marked is waited for before the next
   * write sends anything, as if it depended on answers.
   */
  static <T> Work<T> pipelined(Work<T> work) {
    return new Pipelined<>(work);
  }

  private record Pipelined<T>(Work<T> work) implements Work<T> {
    @Override
    public Future<T> run(Tx tx) {
      return work.run(tx);
    }
  }

  static boolean isPipelined(Work<?> work) {
    return work instanceof Pipelined<?>;
  }

  /**
   * One write's view of the batch's transaction: the statements it sends, in order, and the append
   * lock. A write that sends a statement while it is not the one sending fails (see {@link WriterTransaction}).
   */
  static final class Tx {
    private final WriterTransaction transaction;
    private final List<Future<?>> sent = new ArrayList<>();
    private final List<StoredEvent> appended = new ArrayList<>();
    private boolean waitedFor;
    private boolean lockedHere;

    /**
     * @param pipelined whether the writer may send the next write's statements before this one is
     *                  done; if not, it is waited for
     */
    Tx(WriterTransaction transaction, boolean pipelined) {
      this.transaction = transaction;
      this.waitedFor = !pipelined;
    }

    /**
     * The connection itself, for a write that sends statements after the answers to earlier ones:
     * the writer waits for this write to be done before the next one sends anything.
     */
    SqlConnection connection() {
      dependsOnAnswers();
      return transaction.connection();
    }

    /**
     * Says, while this write is the one sending, that it sends statements after the answers to
     * earlier ones: the writer waits for this write to be done before the next one sends anything.
     */
    void dependsOnAnswers() {
      if (!transaction.isCurrent(this)) {
        throw new WriterTransaction.OutOfOrder();
      }
      if (!waitedFor) {
        waitedFor = true;
        transaction.insertCollected();
      }
    }

    /** Sends a prepared statement now; the answer comes later. */
    Future<RowSet<Row>> execute(String sql, Tuple arguments) {
      return sent(transaction.send(this, () -> transaction.connection().preparedQuery(sql).execute(arguments)));
    }

    /**
     * Inserts new events of {@code streamId}, numbered after version {@code after}, if the stream
     * is at that version: those of pipelined writes together, once every
     * write was sent (see {@link WriterTransaction}).
     *
     * @return their positions, in order; fewer if the stream is not at {@code after}
     */
    Future<List<Long>> insertEvents(String streamId, long after, List<EventEnvelope> events) {
      return sent(transaction.insertEvents(this, streamId, after, events));
    }

    /** Sends a prepared statement once for each of {@code arguments}, now, as one command. */
    Future<RowSet<Row>> executeBatch(String sql, List<Tuple> arguments) {
      return sent(transaction.send(this, () -> transaction.connection().preparedQuery(sql).executeBatch(arguments)));
    }

    /**
     * Takes the append lock, unless this transaction holds it already (see {@link WriterTransaction#lock}).
     * Succeeds at once, without waiting for the answer: the statements sent after it run only once
     * the lock is granted, and if it is not, this write fails (see {@link #answered}).
     */
    Future<Void> lockForAppend() {
      boolean lockedBefore = transaction.locked();
      Future<Void> locked = sent(transaction.lock(this));
      lockedHere |= !lockedBefore && transaction.locked();
      return locked.failed() ? locked : Future.succeededFuture();
    }

    boolean waitedFor() {
      return waitedFor;
    }

    /** Says which events this write appended: the node's feed gets them if the write commits. */
    void appended(List<StoredEvent> events) {
      appended.addAll(events);
    }

    List<StoredEvent> appended() {
      return appended;
    }

    /**
     * Succeeds once every statement this write sent has been answered, and none failed; else fails
     * as the first of them (in the order sent) that failed.
     */
    Future<Void> answered() {
      return Future.join(sent).transform(all -> {
        for (Future<?> statement : sent) {
          if (statement.failed()) {
            return Future.failedFuture(statement.cause());
          }
        }
        return Future.succeededFuture();
      });
    }

    /** This write was rolled back to its savepoint: so was the append lock if it took it. */
    void discarded() {
      if (lockedHere) {
        transaction.unlocked();
      }
    }

    private <T> Future<T> sent(Future<T> statement) {
      sent.add(statement);
      return statement;
    }
  }

  /** A queued write, whose work is a {@link Work} of any value. */
  static final class Request {
    private final WriteQueue.Request<Work<?>> queued;

    private Request(WriteQueue.Request<Work<?>> queued) {
      this.queued = queued;
    }

    @SuppressWarnings("unchecked")
    Work<Object> work() {
      return (Work<Object>) queued.work();
    }
  }

  /**
   * What became of one write: its value or failure, whether what it wrote is kept (commits with
   * its transaction), and the events it appended if so.
   */
  record Outcome(Request request, Object value, Throwable failure, boolean kept, List<StoredEvent> appended) {

    static Outcome kept(Request request, Object value, Tx tx) {
      return new Outcome(request, value, null, true, tx.appended());
    }

    /** A write rolled back: it failed, or it undid itself ({@link Undone}) and succeeds with its value. */
    static Outcome rolledBack(Request request, Throwable cause) {
      return cause instanceof Undone undone
          ? new Outcome(request, undone.value(), null, false, List.of())
          : new Outcome(request, null, cause, false, List.of());
    }

    void report() {
      if (failure == null) {
        request.queued.succeed(value);
      } else {
        request.queued.fail(PostgresFailures.of(failure));
      }
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
  private final WriteQueue<Work<?>> queue;
  private final int maxBatch;
  private final String origin;
  private final RecentEvents feed;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong batchedWrites = new AtomicLong();
  private final WriterCounts counts = new WriterCounts();
  private final Promise<Void> drained = Promise.promise();
  private Pool pool;
  private Context context;
  private String deploymentId;
  private boolean busy;

  /**
   * @param pools              makes the writer's pool (of one connection), again if a batch hangs
   * @param batchTimeoutMillis how long a batch may take before the writer gives up on it (a network
   *                           partition leaves a query unanswered forever): it fails the batch's writes
   *                           with {@link StoreUnavailable} and replaces its pool, hung connection and all
   * @param origin             the store's id, sent with each notification so that the store can tell its
   *                           own appends (whose listeners it has run already) from other nodes'
   * @param feed               the node's feed of committed events, given each committed batch's events
   *                           before any of its writes is reported
   */
  PostgresWriter(Vertx vertx, Supplier<Pool> pools, long batchTimeoutMillis, int queueCapacity, int maxBatch,
      String origin, RecentEvents feed) {
    this.vertx = vertx;
    this.pools = pools;
    this.batchTimeoutMillis = batchTimeoutMillis;
    this.queue = new WriteQueue<>("the PostgreSQL store", queueCapacity);
    this.maxBatch = maxBatch;
    this.origin = origin;
    this.feed = feed;
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

  <T> Future<T> submit(Context caller, Work<T> work) {
    return queue.submit(caller, work, this::schedule);
  }

  /** Stops taking writes, commits what is queued, then undeploys the writer's context. */
  Future<Void> close(long timeoutMillis) {
    queue.close();
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
          queue.failWaiting("closed before this write was done");
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

  /**
   * Statements and round trips so far (statements sent on {@link Tx#connection()} itself not counted).
   */
  WriterCounts counts() {
    return counts;
  }

  private void committed(int writes) {
    transactions.incrementAndGet();
    batchedWrites.addAndGet(writes);
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
      if (queue.closing()) {
        drained.tryComplete();
      }
      return;
    }
    busy = true;
    List<Request> batch = queue.take(maxBatch).stream().map(Request::new).toList();
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

  private Future<Void> commitBatch(List<Request> batch, boolean mayRetry) {
    Pool used = pool;
    // once COMMIT is sent, a failure with no answer leaves the outcome unknown; before, nothing was written
    AtomicBoolean commitSent = new AtomicBoolean();
    return used.getConnection()
        .recover(e -> Future.failedFuture(new WriterBatch.NotBegun(e)))
        .compose(connection -> {
          // the batch's own statements report what goes wrong; without a handler the client prints it
          connection.exceptionHandler(failure -> LOG.debug("PostgreSQL store: writer connection: {}", failure.toString()));
          return new WriterBatch(connection, batch, commitSent, counts, origin, this::committed).run()
              .eventually(connection::close);
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
            List<StoredEvent> appended = new ArrayList<>();
            done.result().forEach(outcome -> appended.addAll(outcome.appended()));
            feed.committed(appended);
            done.result().forEach(Outcome::report);
            return Future.succeededFuture();
          }
          boolean notBegun = done.cause() instanceof WriterBatch.NotBegun;
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
          batch.forEach(request -> Outcome.rolledBack(request, failure).report());
          return Future.failedFuture(failure);
        });
  }
}
