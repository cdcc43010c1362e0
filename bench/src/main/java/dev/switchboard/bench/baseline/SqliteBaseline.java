package dev.switchboard.bench.baseline;

import dev.switchboard.bench.Result;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;

/**
 * The raw ceiling of the embedded store: rows of our events' shape appended with plain JDBC to
 * SQLite in WAL mode with {@code synchronous=FULL} (as durable as the store's default), a batch of
 * rows per transaction, one writer (SQLite has one).
 */
public final class SqliteBaseline {

  private final int batch;

  public SqliteBaseline(int batch) {
    this.batch = batch;
  }

  public Result run(Path dir, Duration duration) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("baseline.db"))) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=FULL");
        statement.execute("""
            CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT NOT NULL,
              version INTEGER NOT NULL, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, subject TEXT NOT NULL,
              envelope TEXT NOT NULL, UNIQUE (stream_id, version))""");
        statement.execute("CREATE TABLE outbox (position INTEGER PRIMARY KEY)");
      }
      connection.setAutoCommit(false);
      long rows = 0;
      long until = System.nanoTime() + duration.toNanos();
      long started = System.nanoTime();
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO events (stream_id, version, event_id, type, subject, envelope) VALUES (?, 1, ?, ?, ?, ?)");
           PreparedStatement outbox = connection.prepareStatement("INSERT INTO outbox (position) VALUES (last_insert_rowid())")) {
        while (System.nanoTime() < until) {
          for (int i = 0; i < batch; i++) {
            String subject = SampleRows.newId();
            insert.setString(1, "orders/" + subject);
            insert.setString(2, SampleRows.newId());
            insert.setString(3, "OrderPlaced");
            insert.setString(4, subject);
            insert.setString(5, SampleRows.ENVELOPE);
            insert.executeUpdate();
            outbox.executeUpdate();
          }
          connection.commit();
          rows += batch;
        }
      }
      double perSecond = rows / ((System.nanoTime() - started) / 1e9);
      return new Result("baseline: SQLite durable batched appends", "rows", perSecond,
          new JsonObject().put("batch", batch).put("synchronous", "FULL"));
    }
  }
}
