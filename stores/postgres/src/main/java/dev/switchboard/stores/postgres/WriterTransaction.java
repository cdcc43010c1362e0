package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventEnvelope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
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
 * <p>While it collects events ({@link #collectEvents}), the events that pipelined writes append
 * wait here and go in one statement ({@link EventRows}) once every write was sent, or before a write
 * that depends on answers sends anything; the append lock is asked for right before that statement, so
 * that it is held for as short a time as can be (the insert, the notification, COMMIT), and another
 * node's appends never wait for this batch's other statements. No other statement of the writes reads or writes the log, so inserting the events later than their writes' other statements changes nothing those
 * see; a write that reads the log (the version of a stream, for an append at
 * {@link dev.switchboard.runtime.store.ExpectedVersion#ANY}) depends on answers, and finds the events
 * of the writes before it inserted.
 *
 * <p>It counts the statements and round trips (see {@link WriterCounts}). Statements that a write
 * sends on {@link PostgresWriter.Tx#connection()} itself go around this class and are not counted.
 */
final class WriterTransaction {

  /**
   * A failure that cannot be pinned on the write that got it, as it would have failed alone after
   * the writes before it: the batch must run again one write at a time to tell.
   */
  static class Unattributed extends RuntimeException {
    Unattributed(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  /** A write sent a statement while another write was the one sending: it was not sent. */
  static final class OutOfOrder extends Unattributed {
    OutOfOrder() {
      super("a write of the batch sent a statement after the next write had begun to send its own", null);
    }
  }

  private final SqlConnection connection;
  private final WriterCounts counts;
  private final String origin;
  private PostgresWriter.Tx current;
  private int waiting;
  private boolean locked;
  /** A pipelined write asked for the append lock: it is taken before the events are inserted. */
  private boolean lockWanted;
  private Future<Void> notified;
  private boolean collecting;
  private EventRows collected = EventRows.ofSeveralWrites();
  /** The statements the transaction sent of its own that must succeed for it to commit. */
  private final List<Future<?>> own = new ArrayList<>();

  /**
   * @param counts counts what every transaction of the writer sent
   * @param origin the store's id, sent with the notification (see {@link #notifyAppended()})
   */
  WriterTransaction(SqlConnection connection, WriterCounts counts, String origin) {
    this.connection = connection;
    this.counts = counts;
    this.origin = origin;
  }

  SqlConnection connection() {
    return connection;
  }

  /**
   * From now on, {@code write} is the one that may send statements; if it depends on answers, the
   * events collected so far are inserted first.
   */
  void makeCurrent(PostgresWriter.Tx write) {
    if (write.waitedFor()) {
      insertCollected();
    }
    current = write;
  }

  /** From now on, the events that pipelined writes append wait to be inserted together. */
  void collectEvents() {
    collecting = true;
  }

  /**
   * Every write was sent: the events collected go now, and the notification (the last writer may
   * still send statements of its own, but none that append: those depend on answers).
   */
  void sentEveryWrite() {
    insertCollected();
    collecting = false;
    notifyAppended();
  }

  /**
   * Inserts the events of an append of {@code write} numbered after {@code after}: collected, if it is
   * pipelined, else now, behind whatever was collected.
   *
   * @return their positions, in order; fewer if the stream is not at {@code after}
   */
  Future<List<Long>> insertEvents(PostgresWriter.Tx write, String streamId, long after, List<EventEnvelope> events) {
    if (write != current) {
      return Future.failedFuture(new OutOfOrder());
    }
    if (collecting && !write.waitedFor()) {
      return collected.add(streamId, after, events);
    }
    insertCollected();
    EventRows rows = EventRows.ofOneAppend();
    Future<List<Long>> positions = rows.add(streamId, after, events);
    rows.settle(send(write, () -> connection.preparedQuery(PostgresSql.INSERT_EVENTS).execute(rows.arguments())), null);
    return positions;
  }

  /**
   * The events collected so far, in one statement behind everything sent before, the append lock
   * before them if a write asked for it and it is not held yet.
   */
  void insertCollected() {
    Future<Void> lock = lockWanted && !locked ? lockNow() : null;
    if (collected.isEmpty()) {
      return;
    }
    EventRows rows = collected;
    collected = EventRows.ofSeveralWrites();
    Future<RowSet<Row>> inserted = send(() -> connection.preparedQuery(PostgresSql.INSERT_EVENTS)
        .execute(rows.arguments()));
    own.add(inserted);
    rows.settle(inserted, lock);
  }

  /**
   * Sends the notification if it was not sent yet, then succeeds once every statement the
   * transaction sent of its own succeeded: else COMMIT would silently roll back.
   */
  Future<Void> readyToCommit() {
    insertCollected();
    notifyAppended();
    return Future.join(own).transform(all -> {
      for (Future<?> statement : own) {
        if (statement.failed()) {
          return Future.failedFuture(statement.cause());
        }
      }
      return Future.succeededFuture();
    });
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
   * for it: the lock statement is ahead on the connection of anything sent after it); for a
   * pipelined write while events are collected, only right before they are inserted. Held until
   * the commit or rollback; so every position this transaction takes is taken, and becomes visible,
   * after those of every transaction that appended before it, on any node.
   *
   * @return the answer to the lock statement; a success at once if it was asked for before or is
   *     taken later
   */
  Future<Void> lock(PostgresWriter.Tx write) {
    if (write != current) {
      return Future.failedFuture(new OutOfOrder());
    }
    if (locked) {
      return Future.succeededFuture();
    }
    if (collecting && !write.waitedFor()) {
      lockWanted = true;
      return Future.succeededFuture();
    }
    Future<Void> taken = send(write, this::lockStatement);
    locked = true;
    return taken;
  }

  private Future<Void> lockNow() {
    Future<Void> taken = send(this::lockStatement);
    locked = true;
    own.add(taken);
    return taken;
  }

  private Future<Void> lockStatement() {
    return connection.preparedQuery(PostgresSql.LOCK_APPENDS).execute(Tuple.of(PostgresSql.APPEND_LOCK_KEY)).mapEmpty();
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
      own.add(notified);
    }
    return notified == null ? Future.succeededFuture() : notified;
  }

  private Future<Void> simple(String sql) {
    return send(() -> connection.query(sql).execute().mapEmpty());
  }

  private <T> Future<T> send(Supplier<Future<T>> statement) {
    counts.sent(waiting++ == 0);
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
