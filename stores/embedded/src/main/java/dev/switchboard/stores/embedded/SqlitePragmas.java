package dev.switchboard.stores.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.sqlite.SQLiteConfig;

/**
 * How the embedded store sets up its connections to the SQLite file.
 *
 * <p>The sizes are constants, not settings: they trade memory the node has for I/O it would
 * otherwise do, and nothing an operator decides (durability, queue lengths) depends on them.
 */
final class SqlitePragmas {

  /**
   * The writer's page cache, in KiB (64 MiB). sqlite-jdbc leaves SQLite's default of about 2 MB, far
   * less than the ~15 B-trees each order writes to, several of them at random places (the unique
   * event id, inboxes and documents are keyed by random ids), so the writer kept reading back pages
   * it had written a moment before. The writer's cache, unlike a reader's, survives its own commits.
   */
  static final int WRITER_CACHE_KIB = 65_536;

  /**
   * A reader's page cache, in KiB (8 MiB). SQLite empties a connection's cache when its next read
   * transaction starts after another connection committed, which under load is nearly every read,
   * so a large one would be refilled each time.
   *
   * <p>Readers do not map the file into memory ({@code mmap_size}): the file grows at every WAL
   * checkpoint under load, and a reader then unmaps and maps it again at its next read. Profiled on
   * the bench, {@code munmap} alone took about 5% of the CPU, and the node confirmed half the orders
   * per second it does with plain reads (632 and 894 against 1,241 and 1,241, runs side by side).
   */
  static final int READER_CACHE_KIB = 8_192;

  private SqlitePragmas() {
  }

  /**
   * How the driver opens the writer's connection: without fetching generated keys. sqlite-jdbc
   * otherwise follows every {@code INSERT} with a {@code SELECT last_insert_rowid()} that it compiles
   * anew each time (profiled on the bench: about a sixth of the writer's time); the store's one insert
   * whose key it needs asks for it with {@code RETURNING}.
   */
  static Properties writerConnection() {
    SQLiteConfig config = new SQLiteConfig();
    config.setGetGeneratedKeys(false);
    return config.toProperties();
  }

  /** The one connection that writes: WAL, the configured durability, a large cache, temp tables in memory. */
  static void writer(Connection connection, String synchronous) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA journal_mode = WAL");
      statement.execute("PRAGMA synchronous = " + synchronous);
      statement.execute("PRAGMA busy_timeout = 5000");
      statement.execute("PRAGMA foreign_keys = ON");
      statement.execute("PRAGMA cache_size = -" + WRITER_CACHE_KIB);
      // sorts and temporary indexes of the writer's statements never go through a temporary file
      statement.execute("PRAGMA temp_store = MEMORY");
    }
  }

  /** A connection that only reads. */
  static void reader(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");
      statement.execute("PRAGMA query_only = ON");
      statement.execute("PRAGMA cache_size = -" + READER_CACHE_KIB);
    }
  }
}
