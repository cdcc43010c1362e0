package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.write.Undone;
import dev.switchboard.runtime.store.write.WriteQueue;
import dev.switchboard.runtime.store.write.WriteQueue.Request;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single thread that writes the SQLite file, with group commit.
 *
 * <p>SQLite admits one writer at a time, so writes queue here (in the runtime's {@link WriteQueue}:
 * bounded, a full one fails the write at once). The thread takes whatever is queued, up to
 * {@code maxBatch}, and commits it in one transaction: one fsync for many writes when load is high,
 * one write per transaction when it is low. Each write runs inside its own savepoint, so a write
 * that fails (a concurrency conflict, say) is rolled back alone and the others still commit.
 *
 * <p>The thread owns the connection: it closes it, with its cached statements, when it stops.
 */
final class SqliteWriter {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
  private static final String SAVEPOINT = "SAVEPOINT work";
  private static final String RELEASE = "RELEASE work";
  private static final String ROLLBACK_TO = "ROLLBACK TO work";

  /** A piece of work on the write connection; runs inside the batch's transaction. */
  interface Work<T> {
    T run(Connection connection) throws Exception;
  }

  /**
   * Told, on the writer's thread, what became of each piece of work and each batch, so that a
   * memory of what was written never gets ahead of what the file committed.
   */
  interface TransactionListener {
    /** The current work's savepoint was released: it will commit with its batch. */
    void workReleased();

    /** The current work failed and was rolled back to its savepoint: none of it will commit. */
    void workRolledBack();

    /** The batch committed. */
    void batchCommitted();

    /** The batch was rolled back, or its commit failed: none of it is known to have committed. */
    void batchRolledBack();
  }

  private record Outcome(Request<Work<?>> request, Object value, Throwable failure) {

    void report() {
      if (failure == null) {
        request.succeed(value);
      } else {
        request.fail(failure);
      }
    }
  }

  private final Connection connection;
  private final List<TransactionListener> listeners;
  private final WriteQueue<Work<?>> queue;
  private final int maxBatch;
  private final Thread thread;
  private final AtomicLong committed = new AtomicLong();

  SqliteWriter(Connection connection, int queueCapacity, int maxBatch, List<TransactionListener> listeners) {
    this.connection = connection;
    this.listeners = List.copyOf(listeners);
    this.queue = new WriteQueue<>("the embedded store", queueCapacity);
    this.maxBatch = maxBatch;
    this.thread = new Thread(this::loop, "switchboard-sqlite-writer");
    this.thread.setDaemon(true);
  }

  /** Transactions committed so far (for measurements). */
  long committedTransactions() {
    return committed.get();
  }

  void start() {
    thread.start();
  }

  <T> Future<T> submit(Context context, Work<T> work) {
    return queue.submit(context, work, () -> { }); // the thread polls
  }

  /** Stops taking writes, commits what is queued, and stops the thread. */
  void close(long timeoutMillis) throws InterruptedException {
    queue.close();
    thread.join(timeoutMillis);
  }

  private void loop() {
    List<Request<Work<?>>> batch = List.of();
    while (!queue.drained()) {
      try {
        batch = queue.await(maxBatch, 100, TimeUnit.MILLISECONDS);
        if (!batch.isEmpty()) {
          commitBatch(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        queue.close();
      } catch (Throwable e) {
        // the thread outlives anything a batch throws: were it to die, every write after would wait forever
        LOG.error("embedded store: a batch of {} writes failed", batch.size(), e);
        failAll(batch, new StoreUnavailable("the embedded store failed to write: " + e, e));
      }
    }
    try {
      StatementCaches.closeWithStatements(connection);
    } catch (SQLException e) {
      LOG.error("embedded store: closing the write connection failed", e);
    }
  }

  private void commitBatch(List<Request<Work<?>>> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    try {
      connection.setAutoCommit(false);
      for (Request<Work<?>> request : batch) {
        outcomes.add(runInSavepoint(request));
      }
      connection.commit();
      committed.incrementAndGet();
      listeners.forEach(TransactionListener::batchCommitted);
    } catch (SQLException | RuntimeException | Error e) {
      LOG.error("embedded store: a batch of {} writes failed to commit", batch.size(), e);
      rollbackQuietly();
      listeners.forEach(TransactionListener::batchRolledBack);
      failAll(batch, new StoreUnavailable("the embedded store failed to commit: " + e.getMessage(), e));
      return;
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        LOG.error("embedded store: cannot reset auto-commit", e);
      }
    }
    outcomes.forEach(Outcome::report);
  }

  private static void failAll(List<Request<Work<?>>> batch, StoreUnavailable failure) {
    batch.forEach(request -> request.fail(failure));
  }

  /**
   * Runs one piece of work in its own savepoint. Whatever it throws, an {@link Error} too (a stack
   * overflow in a handler's data, say), fails that work alone: the rest of the batch still commits.
   * A work that undid itself ({@link Undone}) is rolled back alone too, and succeeds with its value.
   */
  private Outcome runInSavepoint(Request<Work<?>> request) throws SQLException {
    execute(SAVEPOINT);
    try {
      Object value = request.work().run(connection);
      execute(RELEASE);
      listeners.forEach(TransactionListener::workReleased);
      return new Outcome(request, value, null);
    } catch (Exception | Error e) {
      execute(ROLLBACK_TO);
      execute(RELEASE);
      listeners.forEach(TransactionListener::workRolledBack);
      return e instanceof Undone undone ? new Outcome(request, undone.value(), null) : new Outcome(request, null, e);
    }
  }

  private void execute(String savepointStatement) throws SQLException {
    StatementCaches.prepared(connection, savepointStatement).execute();
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException e) {
      LOG.error("embedded store: rollback failed", e);
    }
  }
}
