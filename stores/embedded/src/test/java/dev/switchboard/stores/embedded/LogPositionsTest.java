package dev.switchboard.stores.embedded;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LogPositionsTest {

  @Test
  void positions_follow_the_last_of_the_file_and_a_write_rolled_back_leaves_no_gap() throws SQLException {
    try (Connection connection = logWith(41)) {
      LogPositions positions = LogPositions.after(connection);

      assertThat(positions.next()).isEqualTo(42);
      positions.workReleased();
      assertThat(positions.next()).as("a write that will be rolled back").isEqualTo(43);
      positions.workRolledBack();
      assertThat(positions.next()).as("the next write takes its place").isEqualTo(43);
      positions.workReleased();
      positions.batchCommitted();
      assertThat(positions.next()).isEqualTo(44);
      positions.workReleased();
      positions.batchRolledBack();
      assertThat(positions.next()).as("after a batch that did not commit").isEqualTo(44);
    }
  }

  @Test
  void should_the_file_hold_a_later_event_the_next_position_follows_the_file() throws SQLException {
    try (Connection connection = logWith(5)) {
      LogPositions positions = LogPositions.after(connection);
      try (Statement statement = connection.createStatement()) {
        statement.execute("INSERT INTO events (position) VALUES (9)");
      }

      assertThat(positions.nextAfterTheFile(connection)).isEqualTo(10);
      assertThat(positions.next()).isEqualTo(11);
    }
  }

  @Test
  void an_empty_log_starts_at_one() throws SQLException {
    try (Connection connection = logWith(0)) {
      assertThat(LogPositions.after(connection).next()).isEqualTo(1);
    }
  }

  /** An in-memory database whose events table's last position is {@code last} (none if 0). */
  private static Connection logWith(long last) throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE events (position INTEGER PRIMARY KEY)");
      if (last > 0) {
        statement.execute("INSERT INTO events (position) VALUES (" + last + ")");
      }
    }
    return connection;
  }
}
