package dev.switchboard.runtime.store.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One transaction of the writer on its connection, as its statements go out.
 *
 * <p>A statement is sent as soon as it is asked for, without waiting for the answers to those before
 * it: vertx-pg-client pipelines them on the connection, and PostgreSQL runs them in the order they
 * were sent. So the order in which statements are sent is the order in which the transaction runs
 * them, and only one write may send at a time, the current one: a statement that another write sends
 * fails at once, unsent, with {@link OutOfOrder}. The writer's own statements ({@code BEGIN}, the
 * savepoints, the notification, {@code COMMIT}) may go out at any time.
 *
 * <p>It also counts round trips: a statement sent while none is waiting for its answer starts one.
 * Statements that a write sends on {@link PostgresWriter.Tx#connection()} itself go around this
 * class and are not counted.
 */
final class WriterTransaction {

  /** A write sent a statement while another write was the one sending: it was not sent. */
  static final class OutOfOrder extends RuntimeException {
    OutOfOrder() {
      super("a write of the batch sent a statement after the next write had begun to send its own", null, false,
          false);
    }
  }

  private final SqlConnection connection;
  private final AtomicLong roundTrips;
  private final String origin;
  private PostgresWriter.Tx current;
  private int waiting;
  private boolean locked;
  private Future<Void> notified;

  /**
   * @param roundTrips counts the round trips of every transaction of the writer
   * @param origin     the store's id, sent with the notification (see {@link #notifyAppended()})
   */
  WriterTransaction(SqlConnection connection, AtomicLong roundTrips, String origin) {
    this.connection = connection;
    this.roundTrips = roundTrips;
    this.origin = origin;
  }

  SqlConnection connection() {
    return connection;
  }

  /** From now on, {@code write} is the one that may send statements. */
  void makeCurrent(PostgresWriter.Tx write) {
    current = write;
  }

  boolean isCurrent(PostgresWriter.Tx write) {
    return current == write;
  }

  /** Sends a statement of {@code write}, unless another write is the current one. */
  <T> Future<T> send(PostgresWriter.Tx write, Supplier<Future<T>> statement) {
    if (write != current) {
      return Future.failedFuture(new OutOfOrder());
    }
    return send(statement);
  }

  Future<Void> begin() {
    return simple("BEGIN");
  }

  Future<Void> commit() {
    return simple("COMMIT");
  }

  Future<Void> rollback() {
    return simple("ROLLBACK");
  }

  Future<Void> savepoint() {
    return simple("SAVEPOINT work");
  }

  Future<Void> releaseSavepoint() {
    return simple("RELEASE SAVEPOINT work");
  }

  /** Rolls back to the savepoint; with it goes the append lock if it was taken after the savepoint. */
  Future<Void> rollbackToSavepoint() {
    return simple("ROLLBACK TO SAVEPOINT work");
  }

  /**
   * Takes the append lock for {@code write}, unless this transaction holds it already (or has asked
   * for it: the lock statement is ahead on the connection of anything sent after it). Held until
   * the commit or rollback; so every position this transaction takes is taken, and becomes visible,
   * after those of every transaction that appended before it, on any node.
   *
   * @return the answer to the lock statement; a success at once if it was asked for before
   */
  Future<Void> lock(PostgresWriter.Tx write) {
    if (locked) {
      return Future.succeededFuture();
    }
    Future<Void> taken = send(write, () -> connection.preparedQuery(PostgresSql.LOCK_APPENDS)
        .execute(Tuple.of(PostgresSql.APPEND_LOCK_KEY)).mapEmpty());
    if (!taken.failed()) {
      locked = true;
    }
    return taken;
  }

  /** The write that took the lock was rolled back to its savepoint, and the lock with it. */
  void unlocked() {
    locked = false;
  }

  boolean locked() {
    return locked;
  }

  /**
   * {@code NOTIFY} (delivered by PostgreSQL at commit, and only if it commits) so that listeners on
   * every node wake up, once per transaction that appended; the payload is the highest position in
   * the log, which under the append lock is the highest this transaction appended, and this store's id.
   * Sent once; asked again, the same answer.
   */
  Future<Void> notifyAppended() {
    if (notified == null && locked) {
      notified = send(() -> connection.preparedQuery(PostgresSql.NOTIFY)
          .execute(Tuple.of(PostgresSql.CHANNEL, origin)).mapEmpty());
    }
    return notified == null ? Future.succeededFuture() : notified;
  }

  private Future<Void> simple(String sql) {
    return send(() -> connection.query(sql).execute().mapEmpty());
  }

  private <T> Future<T> send(Supplier<Future<T>> statement) {
    if (waiting++ == 0) {
      roundTrips.incrementAndGet();
    }
    Future<T> sent;
    try {
      sent = statement.get();
    } catch (RuntimeException e) {
      waiting--;
      return Future.failedFuture(e);
    }
    // registered before the sender's own handlers, which may send the next statement
    sent.onComplete(answered -> waiting--);
    return sent;
  }
}
