package dev.switchboard.stores.embedded;

import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

class SqliteWriterTest {

  @TempDir
  Path dir;

  private SqliteWriter writer;

  @AfterEach
  void close() throws InterruptedException {
    if (writer != null) {
      writer.close(5_000);
    }
  }

  @Test
  void a_write_that_throws_an_error_fails_alone_and_the_writer_goes_on_writing() throws Exception {
    writer = new SqliteWriter(connection(), 100, 256, List.of());
    // queued before the writer starts: the three go in one batch
    Future<Integer> before = writer.submit(null, insert("before"));
    Future<Integer> overflowing = writer.submit(null, (SqliteWriter.Work<Integer>) connection -> {
      throw new StackOverflowError("a handler recursed too deep");
    });
    Future<Integer> after = writer.submit(null, insert("after"));
    writer.start();

    assertThat(result(before)).isEqualTo(1);
    assertThat(failure(overflowing)).isInstanceOf(StackOverflowError.class);
    assertThat(result(after)).isEqualTo(1);
    assertThat(result(writer.submit(null, insert("later")))).as("a write after the error").isEqualTo(1);
    assertThat(names()).containsExactly("before", "after", "later");
  }

  private Connection connection() throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("writer.db"));
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE names (name TEXT NOT NULL)");
    }
    StatementCaches.track(connection, new LongAdder());
    return connection;
  }

  private static SqliteWriter.Work<Integer> insert(String name) {
    return connection -> {
      try (Statement statement = connection.createStatement()) {
        return statement.executeUpdate("INSERT INTO names (name) VALUES ('" + name + "')");
      }
    };
  }

  private List<String> names() throws SQLException {
    try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("writer.db"));
         Statement statement = reader.createStatement();
         ResultSet rows = statement.executeQuery("SELECT name FROM names ORDER BY rowid")) {
      List<String> names = new java.util.ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    }
  }
}
