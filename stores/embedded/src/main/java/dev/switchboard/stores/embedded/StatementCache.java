package dev.switchboard.stores.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The prepared statements of one SQLite connection, each SQL text compiled once and then reused.
 *
 * <p>sqlite-jdbc compiles ({@code sqlite3_prepare_v2}) on every {@code prepareStatement}; for the
 * store's short statements that compile costs about as much as running them. A statement handed out
 * stays the cache's: the caller must not close it, but must close every {@code ResultSet} it opens,
 * because a statement left mid-result keeps its read transaction, and a reader would then go on
 * seeing an old snapshot of the file.
 *
 * <p>Not thread-safe, on purpose: it is used only by the thread that holds its connection (the
 * writer's thread, or the worker that borrowed a reader). Texts that vary (the {@code IN} lists of a
 * type filter, a projection's table name) are cached too, so the cache keeps only the most recently
 * used {@code capacity} of them and closes the rest.
 */
final class StatementCache {

  private static final Logger LOG = LoggerFactory.getLogger(StatementCache.class);

  private final Connection connection;
  private final Map<String, PreparedStatement> statements;
  private final LongAdder handedOut;

  /** @param handedOut counts the statements handed out: each is run once (the store's measurements) */
  StatementCache(Connection connection, int capacity, LongAdder handedOut) {
    this.connection = connection;
    this.handedOut = handedOut;
    this.statements = new LinkedHashMap<>(capacity, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
        if (size() <= capacity) {
          return false;
        }
        closeQuietly(eldest.getValue());
        return true;
      }
    };
  }

  /**
   * The statement for {@code sql}, with no parameters bound; the cache's, so never close it. Ask for
   * it again to run it again: each time counts as one statement run.
   */
  PreparedStatement prepared(String sql) throws SQLException {
    handedOut.increment();
    PreparedStatement statement = statements.get(sql);
    if (statement != null) {
      try {
        statement.clearParameters();
        return statement;
      } catch (SQLException finalized) {
        // sqlite-jdbc finalizes a statement whose step failed with most errors (its table was dropped,
        // say) while isClosed() still answers false; only a call on it tells
        closeQuietly(statement);
      }
    }
    statement = connection.prepareStatement(sql);
    statements.put(sql, statement);
    return statement;
  }

  /** Closes every statement (not the connection). */
  void close() {
    statements.values().forEach(StatementCache::closeQuietly);
    statements.clear();
  }

  private static void closeQuietly(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException e) {
      LOG.warn("embedded store: closing a cached statement failed", e);
    }
  }
}
