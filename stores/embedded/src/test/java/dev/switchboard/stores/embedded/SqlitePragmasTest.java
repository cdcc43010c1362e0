package dev.switchboard.stores.embedded;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** What the store's connections are set to, read back from SQLite itself. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqlitePragmasTest {

  @TempDir
  Path dir;

  @Test
  void the_writer_keeps_the_configured_durability_with_a_large_cache_and_temporary_data_in_memory() throws SQLException {
    try (Connection full = open(); Connection normal = open()) {
      SqlitePragmas.writer(full, "FULL");
      SqlitePragmas.writer(normal, "NORMAL");

      assertThat(pragma(full, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(full, "synchronous")).as("FULL").isEqualTo("2");
      assertThat(pragma(normal, "synchronous")).as("NORMAL").isEqualTo("1");
      assertThat(pragma(full, "foreign_keys")).isEqualTo("1");
      assertThat(pragma(full, "cache_size")).isEqualTo("-65536");
      assertThat(pragma(full, "temp_store")).as("MEMORY").isEqualTo("2");
      assertThat(pragma(full, "mmap_size")).as("the writer reads through its cache").isEqualTo("0");
    }
  }

  @Test
  void a_reader_only_reads_and_reads_the_file_rather_than_mapping_it_into_memory() throws SQLException {
    try (Connection writer = open(); Connection reader = open()) {
      SqlitePragmas.writer(writer, "NORMAL");
      SqlitePragmas.reader(reader);

      assertThat(pragma(reader, "query_only")).isEqualTo("1");
      assertThat(pragma(reader, "cache_size")).isEqualTo("-8192");
      assertThat(pragma(reader, "mmap_size")).as("remapped at every growth of the file: see SqlitePragmas")
          .isEqualTo("0");
      assertThat(pragma(reader, "busy_timeout")).isEqualTo("5000");
    }
  }

  private Connection open() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("pragmas.db"));
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("PRAGMA " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
