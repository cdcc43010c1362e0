package dev.switchboard.stores.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The embedded store's tables, created and migrated forward at start. Each migration runs in one
 * transaction together with the bump of {@code PRAGMA user_version}, so none is ever half applied.
 */
final class SqliteSchema {

  private static final List<String> MIGRATIONS = List.of(
      // 1: the log, the outbox, consumers' inboxes and checkpoints, read models, dead letters.
      // The log's position is the rowid without AUTOINCREMENT, which would cost an update of
      // sqlite_sequence per event: events are never deleted, so the next position is always the
      // highest plus one; a position taken by a write that rolled back may be given again, but no
      // one ever saw it. Files made before this had AUTOINCREMENT and keep it, since taking it off
      // means copying the whole log into a new table at start; both number positions alike.
      """
      CREATE TABLE events (
        position   INTEGER PRIMARY KEY,
        stream_id  TEXT    NOT NULL,
        version    INTEGER NOT NULL,
        event_id   TEXT    NOT NULL UNIQUE,
        type       TEXT    NOT NULL,
        subject    TEXT    NOT NULL,
        envelope   TEXT    NOT NULL,
        UNIQUE (stream_id, version)
      );
      CREATE INDEX events_by_subject ON events (subject, position);
      CREATE INDEX events_by_type ON events (type, position);
      CREATE TABLE outbox (position INTEGER PRIMARY KEY);
      CREATE TABLE checkpoints (consumer TEXT PRIMARY KEY, position INTEGER NOT NULL);
      CREATE TABLE inbox (
        consumer   TEXT NOT NULL,
        event_id   TEXT NOT NULL,
        handled_at TEXT NOT NULL,
        PRIMARY KEY (consumer, event_id)
      ) WITHOUT ROWID;
      CREATE TABLE consumer_streams (
        consumer  TEXT    NOT NULL,
        stream_id TEXT    NOT NULL,
        sequence  INTEGER NOT NULL,
        PRIMARY KEY (consumer, stream_id)
      ) WITHOUT ROWID;
      CREATE TABLE documents (
        collection TEXT    NOT NULL,
        id         TEXT    NOT NULL,
        revision   INTEGER NOT NULL,
        body       TEXT    NOT NULL,
        PRIMARY KEY (collection, id)
      ) WITHOUT ROWID;
      CREATE TABLE dead_letters (
        id        TEXT    PRIMARY KEY,
        consumer  TEXT    NOT NULL,
        event_id  TEXT    NOT NULL,
        position  INTEGER NOT NULL,
        reason    TEXT    NOT NULL,
        attempts  INTEGER NOT NULL,
        event     TEXT    NOT NULL,
        failed_at TEXT    NOT NULL
      );
      CREATE INDEX dead_letters_by_time ON dead_letters (failed_at);
      """,
      // 2: projections (their tables, read_<name>_<generation>, are created when one is registered)
      """
      CREATE TABLE projections (
        name               TEXT    PRIMARY KEY,
        generation         INTEGER NOT NULL,
        position           INTEGER NOT NULL,
        rebuild_generation INTEGER,
        rebuild_position   INTEGER
      );
      """,
      // 3: the log is the outbox. The relay publishes from its checkpoint, which starts where the
      // outbox rows did (the oldest unpublished event, or the head if none waited); the rows go.
      """
      INSERT OR IGNORE INTO checkpoints (consumer, position)
      SELECT 'outbox-relay', COALESCE((SELECT min(position) - 1 FROM outbox), (SELECT max(position) FROM events), 0);
      DROP TABLE outbox;
      """,
      // 4: how far along the log each consumer's inbox reaches (the highest position among the events
      // it handled or dead-lettered): a consumer reading the log looks in its inbox only up to it. A
      // consumer that handled events before may have any of them in its inbox: it starts at the head.
      """
      CREATE TABLE inbox_reach (consumer TEXT PRIMARY KEY, position INTEGER NOT NULL);
      INSERT INTO inbox_reach (consumer, position)
      SELECT DISTINCT consumer, (SELECT COALESCE(max(position), 0) FROM events) FROM inbox;
      """,
      // 5: inbox entries by when they were made, for forgetting the old ones (InboxRetention), and
      // dead letters by their event, for keeping the entries of those
      """
      CREATE INDEX inbox_by_time ON inbox (handled_at);
      CREATE INDEX dead_letters_by_event ON dead_letters (consumer, event_id);
      """,
      // 6: documents that may be forgotten from a time on (an idempotency key's answer), found by it;
      // the index holds only those, the time written at one width so that text order is time order
      """
      ALTER TABLE documents ADD COLUMN expires_at TEXT;
      CREATE INDEX documents_by_expiry ON documents (expires_at) WHERE expires_at IS NOT NULL;
      """);

  private SqliteSchema() {
  }

  static void migrate(Connection connection) throws SQLException {
    int current = userVersion(connection);
    if (current > MIGRATIONS.size()) {
      throw new SQLException("the data file is at schema version " + current
          + ", newer than this build knows (" + MIGRATIONS.size() + "): refusing to touch it");
    }
    for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String sql : MIGRATIONS.get(version - 1).split(";")) {
          if (!sql.isBlank()) {
            statement.execute(sql);
          }
        }
        statement.execute("PRAGMA user_version = " + version);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
  }

  private static int userVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }
}
