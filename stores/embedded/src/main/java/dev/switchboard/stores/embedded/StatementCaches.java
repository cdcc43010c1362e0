package dev.switchboard.stores.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Finds the {@link StatementCache} of an open connection of the embedded store.
 *
 * <p>The store's writes and reads are handed a plain {@link Connection}; looking the cache up by the
 * connection lets them use it without every piece of work carrying a second argument. The map is
 * shared by every store in the process and keyed by identity (sqlite-jdbc connections do not
 * override {@code equals}); only the lookup is concurrent, each cache stays confined to the thread
 * that holds its connection.
 */
final class StatementCaches {

  /** Fixed texts (about 40) plus varying ones (type filters, projection tables), with room to spare. */
  static final int CAPACITY = 128;

  private static final Map<Connection, StatementCache> OPEN = new ConcurrentHashMap<>();

  private StatementCaches() {
  }

  /**
   * Gives {@code connection} a cache; from now on it is closed with {@link #closeWithStatements}.
   *
   * @param runs counts the statements run on it (handed out by the cache)
   */
  static void track(Connection connection, LongAdder runs) {
    OPEN.put(connection, new StatementCache(connection, CAPACITY, runs));
  }

  /** The cached statement for {@code sql} on {@code connection}; the cache's, so never close it. */
  static PreparedStatement prepared(Connection connection, String sql) throws SQLException {
    StatementCache cache = OPEN.get(connection);
    if (cache == null) {
      throw new IllegalStateException("this connection of the embedded store has no statement cache (closed?)");
    }
    return cache.prepared(sql);
  }

  /** Closes the connection's cached statements, then the connection. */
  static void closeWithStatements(Connection connection) throws SQLException {
    StatementCache cache = OPEN.remove(connection);
    if (cache != null) {
      cache.close();
    }
    connection.close();
  }
}
