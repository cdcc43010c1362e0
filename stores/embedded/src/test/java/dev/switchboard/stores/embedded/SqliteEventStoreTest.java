package dev.switchboard.stores.embedded;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.EventStoreContractTest;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.StatementsSent;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event store contract on the embedded store (a SQLite file in a temporary folder), and what is its own. */
class SqliteEventStoreTest extends EventStoreContractTest {

  @TempDir
  Path dir;

  @Override
  protected Future<EventStore> openStore(Vertx vertx) {
    return TestStores.embedded(vertx, dir);
  }

  @Test
  void the_store_is_one_file_in_the_configured_folder() {
    assertThat(dir.resolve(TestStores.FILE_NAME)).isRegularFile();
  }

  @Test
  void it_counts_each_statement_run_each_read_and_each_transaction_for_measurements() {
    StatementsSent.Counted counted = (StatementsSent.Counted) store;
    StatementsSent start = counted.statementsSent();
    result(store.commit(startStream(orderPlaced(newOrderId()))));
    StatementsSent afterOne = counted.statementsSent();
    String order = newOrderId();
    EventEnvelope placed = orderPlaced(order);
    result(store.commit(startStream(placed, orderConfirmed(order), orderConfirmed(order))));
    StatementsSent afterThree = counted.statementsSent();
    result(store.readSubject(order));
    StatementsSent afterRead = counted.statementsSent();

    long oneEvent = afterOne.writerStatements() - start.writerStatements();
    assertThat(afterThree.writerStatements() - afterOne.writerStatements())
        .as("two events more: two inserts more").isEqualTo(oneEvent + 2);
    assertThat(oneEvent).as("begin, savepoint, the insert (a new stream's version is not read), release, commit")
        .isEqualTo(5);
    assertThat(afterThree.transactions() - start.transactions()).isEqualTo(2);
    assertThat(afterRead.reads() - afterThree.reads()).isEqualTo(1);
    assertThat(afterRead.writerRoundTrips()).as("SQLite is in the process: no round trips").isZero();
  }

  @Test
  void a_stream_begun_since_the_store_opened_is_read_from_the_feed_as_the_file_holds_it() {
    String order = newOrderId();
    EventEnvelope placed = orderPlaced(order);
    result(store.commit(startStream(placed)));
    result(store.commit(appendAny(orderConfirmed(order))));
    StatementsSent.Counted counted = (StatementsSent.Counted) store;
    long readsBefore = counted.statementsSent().reads();

    List<StoredEvent> fromTheFeed = result(store.readStream(Streams.of(placed)));

    assertThat(counted.statementsSent().reads()).as("no query").isEqualTo(readsBefore);
    result(store.close());
    store = result(TestStores.embedded(vertx, dir)); // a new feed, which holds nothing yet
    List<StoredEvent> fromTheFile = result(store.readStream(Streams.of(placed)));
    assertThat(fromTheFeed).extracting(StoredEvent::position).containsExactlyElementsOf(
        fromTheFile.stream().map(StoredEvent::position).toList());
    assertThat(fromTheFeed).extracting(event -> event.envelope().toJson().encode())
        .containsExactlyElementsOf(fromTheFile.stream().map(event -> event.envelope().toJson().encode()).toList());
  }

  @Override
  protected long inboxRows() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(TestStores.FILE_NAME));
         Statement statement = connection.createStatement();
         ResultSet count = statement.executeQuery("SELECT count(*) FROM inbox")) {
      count.next();
      return count.getLong(1);
    }
  }

  @Override
  protected void putInInboxAsAnEarlierBuild(String consumer, String eventId) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(TestStores.FILE_NAME));
         PreparedStatement insert = connection.prepareStatement(
             "INSERT INTO inbox (consumer, event_id, handled_at) VALUES (?, ?, '2026-01-01T00:00:00Z')")) {
      insert.setString(1, consumer);
      insert.setString(2, eventId);
      insert.executeUpdate();
    }
  }

  @Test
  void positions_have_no_gaps_even_where_conflicting_writes_were_rolled_back() {
    List<StoredEvent> stored = new ArrayList<>();
    String order = newOrderId();
    stored.addAll(result(store.commit(startStream(orderPlaced(order)))));
    failure(store.commit(startStream(orderPlaced(order))));
    failure(store.commit(startStream(orderPlaced(order))));
    stored.addAll(result(store.commit(startStream(orderPlaced(newOrderId())))));

    assertThat(positions(stored)).containsExactly(1L, 2L);
    assertThat(positions(allEvents())).containsExactly(1L, 2L);
  }

  @Test
  void a_new_file_numbers_its_log_by_rowid_without_autoincrement() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(TestStores.FILE_NAME));
         Statement statement = connection.createStatement();
         ResultSet tables = statement.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'table'")) {
      Map<String, String> schema = new HashMap<>();
      while (tables.next()) {
        schema.put(tables.getString(1), tables.getString(2));
      }
      assertThat(schema.get("events")).contains("position   INTEGER PRIMARY KEY,").doesNotContain("AUTOINCREMENT");
      assertThat(schema).doesNotContainKey("sqlite_sequence");
    }
  }

  @Test
  void a_file_made_with_autoincrement_by_an_earlier_build_keeps_it_and_goes_on_numbering_after_its_last_position()
      throws Exception {
    result(store.close());
    Path file = earlierFile("earlier.db");
    EmbeddedStoreSettings earlier = settingsFor(file);
    store = result(SqliteEventStore.open(vertx, TestStores.schemas(), earlier));
    List<StoredEvent> first = result(store.commit(startStream(orderPlaced(newOrderId()), orderPlaced(newOrderId()))));
    failure(store.commit(startStream(first.get(0).envelope())));
    result(store.close());

    store = result(SqliteEventStore.open(vertx, TestStores.schemas(), earlier));
    List<StoredEvent> later = result(store.commit(startStream(orderPlaced(newOrderId()))));

    assertThat(positions(first)).containsExactly(1L, 2L);
    assertThat(positions(later)).containsExactly(3L);
    assertThat(positions(allEvents())).containsExactly(1L, 2L, 3L);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement();
         ResultSet events = statement.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'events'")) {
      events.next();
      assertThat(events.getString(1)).as("left as it was").contains("AUTOINCREMENT");
    }
  }

  @Test
  void a_file_whose_outbox_held_unpublished_events_has_the_relay_start_before_the_oldest_of_them() throws Exception {
    result(store.close());
    Path file = earlierFile("waiting.db", THREE_EVENTS, "INSERT INTO outbox (position) VALUES (2), (3)");

    store = result(SqliteEventStore.open(vertx, TestStores.schemas(), settingsFor(file)));

    assertThat(result(store.checkpoint("outbox-relay"))).isEqualTo(1);
    assertThat(tableExists(file, "outbox")).as("the log is the outbox now").isFalse();
    assertThat(tableExists(file, "inbox_by_time")).as("old inbox entries are found by their time").isTrue();
    assertThat(tableExists(file, "dead_letters_by_event")).as("dead letters by their event").isTrue();
  }

  @Test
  void a_file_whose_outbox_was_empty_has_the_relay_start_at_the_head() throws Exception {
    result(store.close());
    Path file = earlierFile("published.db", THREE_EVENTS);

    store = result(SqliteEventStore.open(vertx, TestStores.schemas(), settingsFor(file)));

    assertThat(result(store.checkpoint("outbox-relay"))).isEqualTo(3);
  }

  @Test
  void a_consumer_that_handled_events_before_its_inbox_reach_was_kept_looks_in_its_inbox_up_to_the_head()
      throws Exception {
    result(store.close());
    Path file = earlierFile("handled.db", THREE_EVENTS,
        "INSERT INTO inbox (consumer, event_id, handled_at) VALUES ('mailer', 'e-1', '2026-01-01T00:00:00Z')");

    store = result(SqliteEventStore.open(vertx, TestStores.schemas(), settingsFor(file)));

    assertThat(result(store.handledUpTo("mailer"))).as("any event up to the head may be in its inbox").isEqualTo(3);
    assertThat(result(store.handledUpTo("auditor"))).as("its inbox holds nothing").isZero();
  }

  private static final String THREE_EVENTS = """
      INSERT INTO events (position, stream_id, version, event_id, type, subject, envelope)
      VALUES (1, 's-1', 1, 'e-1', 'OrderPlaced', 'o', '{}'), (2, 's-2', 1, 'e-2', 'OrderPlaced', 'o', '{}'),
             (3, 's-3', 1, 'e-3', 'OrderPlaced', 'o', '{}')""";

  /** A file at schema version 1 as an earlier build made it, with {@code statements} run on it. */
  private Path earlierFile(String name, String... statements) throws Exception {
    Path file = dir.resolve(name);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement()) {
      for (String sql : EARLIER_SCHEMA_1.split(";")) {
        if (!sql.isBlank()) {
          statement.execute(sql);
        }
      }
      for (String sql : statements) {
        statement.execute(sql);
      }
      statement.execute("PRAGMA user_version = 1");
    }
    return file;
  }

  private EmbeddedStoreSettings settingsFor(Path file) {
    EmbeddedStoreSettings settings = EmbeddedStoreSettings.from(TestStores.embeddedSettings(dir));
    return new EmbeddedStoreSettings(file.toString(), settings.synchronous(), settings.writeQueue(),
        settings.maxBatch(), settings.readers(), settings.recentEvents());
  }

  private static boolean tableExists(Path file, String table) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = '" + table + "'")) {
      rows.next();
      return rows.getInt(1) == 1;
    }
  }

  @Test
  void a_file_written_by_a_newer_schema_version_is_refused_and_left_untouched() throws Exception {
    result(store.close());
    store = null;
    Path file = dir.resolve("newer.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA user_version = 99");
    }
    EmbeddedStoreSettings settings = new EmbeddedStoreSettings(file.toString(), "NORMAL", 100, 10, 1, 8_192);
    long size = Files.size(file);

    Throwable refused = failure(SqliteEventStore.open(vertx, TestStores.schemas(), settings));

    assertThat(refused).hasMessageContaining("newer than this build knows");
    assertThat(Files.size(file)).isEqualTo(size);
  }

  /** Schema version 1 as builds before the log dropped AUTOINCREMENT created it. */
  private static final String EARLIER_SCHEMA_1 = """
      CREATE TABLE events (
        position   INTEGER PRIMARY KEY AUTOINCREMENT,
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
      """;

  private EmbeddedStoreSettings oneReader() {
    EmbeddedStoreSettings settings = EmbeddedStoreSettings.from(TestStores.embeddedSettings(dir));
    return new EmbeddedStoreSettings(settings.path(), settings.synchronous(), settings.writeQueue(),
        settings.maxBatch(), 1, settings.recentEvents());
  }

  @Test
  void a_reader_whose_cached_statement_names_a_dropped_generation_keeps_answering_that_it_moved() {
    result(store.close());
    store = result(SqliteEventStore.open(vertx, TestStores.schemas(), oneReader()));
    ReadModelStore models = store.readModels();
    result(models.register("views"));
    result(models.apply("views", 1, 0, 1, Map.of("o-1", new JsonObject().put("v", "old"))));
    assertThat(result(models.row("views", 1, "o-1"))).isPresent();
    result(models.beginRebuild("views"));
    result(models.apply("views", 2, 0, 1, Map.of("o-1", new JsonObject().put("v", "new"))));
    result(models.finishRebuild("views", 2));

    assertThat(failure(models.row("views", 1, "o-1"))).isInstanceOf(ProjectionMoved.class);
    assertThat(failure(models.row("views", 1, "o-1"))).as("asked again").isInstanceOf(ProjectionMoved.class);
    assertThat(result(models.row("views", "o-1"))).contains(new JsonObject().put("v", "new"));
  }

  @Test
  void closing_the_store_closes_every_connection_so_sqlite_folds_the_wal_back_into_the_file() {
    result(store.commit(startStream(orderPlaced(newOrderId()))));
    Path wal = dir.resolve(TestStores.FILE_NAME + "-wal");
    assertThat(wal).exists();

    result(store.close());
    store = null;

    assertThat(wal).doesNotExist();
  }

  @Test
  void the_synchronous_setting_accepts_only_full_or_normal() {
    assertThatThrownBy(() -> new EmbeddedStoreSettings("x.db", "OFF", 1, 1, 1, 8_192))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FULL or NORMAL");
  }
}
