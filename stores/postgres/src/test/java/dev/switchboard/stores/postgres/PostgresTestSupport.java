package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestPostgres;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;

/**
 * What the PostgreSQL-specific integration tests share: a fresh database per test, dropped after
 * it; stores opened on it, closed after it; and a stand-in for another node holding the append lock.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class PostgresTestSupport {

  protected Vertx vertx;
  protected String database;
  private final List<EventStore> opened = new ArrayList<>();

  @BeforeEach
  void createTheDatabase(Vertx vertx) {
    this.vertx = vertx;
    this.database = TestPostgres.createDatabase();
  }

  @AfterEach
  void dropTheDatabase() {
    try {
      for (EventStore store : opened) {
        try {
          result(store.close());
        } catch (AssertionError e) {
          // closing is best effort here; the database goes anyway
        }
      }
    } finally {
      TestPostgres.dropDatabase(database);
    }
  }

  /** A store on this test's database, with the test settings. */
  protected PostgresEventStore open() {
    return open(PostgresStoreSettings.from(TestPostgres.settings(database)));
  }

  protected PostgresEventStore open(PostgresStoreSettings settings) {
    PostgresEventStore store = (PostgresEventStore) result(PostgresEventStore.open(vertx, TestStores.schemas(), settings));
    opened.add(store);
    return store;
  }

  /** Appending transactions waiting for the append lock, on this test's database. */
  protected long appendLockWaiters() {
    return TestPostgres.queryLong(database, """
        SELECT count(*) FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""");
  }

  protected void awaitAppendLockWaiters(long count) {
    Await.until(count + " transaction(s) wait for the append lock", () -> appendLockWaiters() >= count);
  }

  /**
   * Another node in the middle of an append: a transaction on its own connection that holds the
   * append lock until {@link #release()}.
   */
  protected final class OtherNodeAppending implements AutoCloseable {
    private final Connection connection;

    OtherNodeAppending() throws SQLException {
      connection = TestPostgres.connect(database);
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + PostgresSql.APPEND_LOCK_KEY + ")");
      }
    }

    Connection connection() {
      return connection;
    }

    /** Commits: the lock is released. */
    void release() throws SQLException {
      connection.commit();
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }

  /** Inserts an event as another node would, on its own connection; its position. */
  protected static long insertEvent(Connection connection, EventEnvelope event) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("""
        INSERT INTO events (stream_id, version, event_id, type, subject, envelope)
        VALUES (?, ?, ?, ?, ?, ?::json) RETURNING position""")) {
      insert.setString(1, dev.switchboard.runtime.store.Streams.of(event));
      insert.setLong(2, event.sequence());
      insert.setString(3, event.id());
      insert.setString(4, event.type());
      insert.setString(5, event.subject());
      insert.setString(6, event.toJson().encode());
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }
}
