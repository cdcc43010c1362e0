package dev.switchboard.stores.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The positions the writer gives the events it appends: the next after the log's last, as SQLite
 * would choose them for an {@code INTEGER PRIMARY KEY} left out (its largest plus one). Written by
 * the writer itself, an insert needs no {@code RETURNING position}, which made SQLite collect every
 * inserted row in a temporary table and the driver open a result set for it (in a CPU profile of the
 * embedded bench, appending events took a sixth of the node's samples, and those two about a
 * quarter of that).
 *
 * <p>A position taken by a write that is rolled back is given again, as SQLite would: the log never
 * has a gap. Not thread-safe, on purpose: only the writer's thread uses it.
 */
final class LogPositions implements SqliteWriter.TransactionListener {

  /** The last position committed. */
  private long committed;
  /** The last position the current batch took, up to the end of its last released write. */
  private long released;
  /** The last position taken. */
  private long taken;

  private LogPositions(long last) {
    committed = last;
    released = last;
    taken = last;
  }

  /** After the last event of the log on {@code connection} (the writer's, before it starts). */
  static LogPositions after(Connection connection) throws SQLException {
    return new LogPositions(lastIn(connection));
  }

  /** The position of the next event appended. */
  long next() {
    return ++taken;
  }

  /** The position after the last the file holds, should it hold one this memory did not take. */
  long nextAfterTheFile(Connection connection) throws SQLException {
    taken = Math.max(taken, lastIn(connection));
    return next();
  }

  private static long lastIn(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet last = statement.executeQuery("SELECT COALESCE(MAX(position), 0) FROM events")) {
      last.next();
      return last.getLong(1);
    }
  }

  @Override
  public void workReleased() {
    released = taken;
  }

  @Override
  public void workRolledBack() {
    taken = released;
  }

  @Override
  public void batchCommitted() {
    committed = taken;
    released = taken;
  }

  @Override
  public void batchRolledBack() {
    taken = committed;
    released = committed;
  }
}
