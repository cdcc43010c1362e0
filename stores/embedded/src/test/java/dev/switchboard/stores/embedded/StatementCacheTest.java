package dev.switchboard.stores.embedded;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A connection's statements compiled once, and what reusing them must not change. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatementCacheTest {

  @TempDir
  Path dir;

  private Connection reader;
  private Connection writer;
  private StatementCache cache;

  @BeforeEach
  void open() throws SQLException {
    String url = "jdbc:sqlite:" + dir.resolve("cache.db");
    writer = DriverManager.getConnection(url);
    execute(writer, "PRAGMA journal_mode = WAL");
    execute(writer, "CREATE TABLE t (n INTEGER)");
    reader = DriverManager.getConnection(url);
    cache = new StatementCache(reader, 3, new LongAdder());
  }

  @AfterEach
  void close() throws SQLException {
    cache.close();
    reader.close();
    writer.close();
  }

  @Test
  void the_same_text_gives_the_same_statement_with_its_parameters_cleared() throws SQLException {
    PreparedStatement first = cache.prepared("SELECT ?");
    first.setInt(1, 5);
    assertThat(single(first)).isEqualTo(5);

    PreparedStatement again = cache.prepared("SELECT ?");

    assertThat(again).isSameAs(first);
    assertThat(single(again)).as("nothing bound any more").isNull();
  }

  @Test
  void a_reused_statement_sees_what_another_connection_committed_after_its_last_use() throws SQLException {
    execute(writer, "INSERT INTO t VALUES (1), (2), (3)");
    PreparedStatement count = cache.prepared("SELECT count(*) FROM t");
    assertThat(single(count)).isEqualTo(3);
    // a result read only in part, then closed
    try (ResultSet rows = cache.prepared("SELECT n FROM t ORDER BY n").executeQuery()) {
      rows.next();
    }

    execute(writer, "INSERT INTO t VALUES (4)");

    assertThat(single(cache.prepared("SELECT count(*) FROM t"))).isEqualTo(4);
    try (ResultSet rows = cache.prepared("SELECT n FROM t ORDER BY n").executeQuery()) {
      int seen = 0;
      while (rows.next()) {
        seen++;
      }
      assertThat(seen).isEqualTo(4);
    }
  }

  @Test
  void a_statement_the_driver_closed_after_a_failure_is_compiled_again() throws SQLException {
    PreparedStatement select = cache.prepared("SELECT count(*) FROM t");
    assertThat(single(select)).isEqualTo(0);
    execute(writer, "DROP TABLE t");

    // the read model store tells a dropped generation by this message
    assertThatThrownBy(() -> single(cache.prepared("SELECT count(*) FROM t"))).hasMessageContaining("no such table");
    execute(writer, "CREATE TABLE t (n INTEGER)");
    execute(writer, "INSERT INTO t VALUES (7)");

    PreparedStatement again = cache.prepared("SELECT count(*) FROM t");
    assertThat(again).isNotSameAs(select);
    assertThat(single(again)).isEqualTo(1);
  }

  @Test
  void beyond_its_capacity_the_least_recently_used_statement_is_closed_and_dropped() throws SQLException {
    PreparedStatement one = cache.prepared("SELECT 1");
    PreparedStatement two = cache.prepared("SELECT 2");
    cache.prepared("SELECT 3");
    cache.prepared("SELECT 1"); // used again: now "SELECT 2" is the least recently used

    PreparedStatement four = cache.prepared("SELECT 4");

    assertThat(two.isClosed()).isTrue();
    assertThat(one.isClosed()).isFalse();
    assertThat(cache.prepared("SELECT 2")).isNotSameAs(two);
    cache.close();
    assertThat(one.isClosed()).isTrue();
    assertThat(four.isClosed()).isTrue();
    assertThat(reader.isClosed()).as("the connection is not the cache's to close").isFalse();
  }

  private static Object single(PreparedStatement select) throws SQLException {
    try (ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getObject(1);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
