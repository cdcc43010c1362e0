package dev.switchboard.stores.embedded;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.ExactJson;
import dev.switchboard.runtime.store.AppendListeners;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentKey;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.Leases;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.Registration;
import dev.switchboard.runtime.store.RecentEvents;
import dev.switchboard.runtime.store.StatementsSent;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.store.write.StoreWrites;
import dev.switchboard.runtime.store.write.WritesOfTheRuntime;
import dev.switchboard.runtime.store.write.WriteStatements;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;

import static dev.switchboard.stores.embedded.StatementCaches.prepared;

/**
 * The zero-setup event store: one SQLite file in WAL mode.
 *
 * <p>Writes go through {@link SqliteWriter}'s single thread; reads run on Vert.x worker threads over
 * a small pool of read connections (WAL lets readers and the writer proceed together). Nothing here
 * runs on an event loop. Because SQLite has one writer, positions are assigned in commit order and
 * the log has no late-committing gaps.
 */
public final class SqliteEventStore implements WritesOfTheRuntime, StatementsSent.Counted {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteEventStore.class);
  /**
   * Streams whose version the writer remembers (about 2.5 MB of heap when full): a few seconds of
   * writes under load, long enough for an order's next append to its stream. Not more: under load
   * the memory churns through its keys in seconds, so they are young, and each collection of the
   * young generation copies every one still held. With 100,000 keys, the bench's young pauses took
   * 27 ms at the median; with 16,384, 18 ms, at the same throughput and statements per order (the
   * reads of versions forgotten did not show).
   */
  private static final int KNOWN_VERSIONS = 16_384;
  /**
   * Documents the writer remembers, bodies and all: fewer, as each weighs more in those collections.
   * The documents a business module reads back are read within moments (an order's amount at its
   * next step, a product's stock at the next reservation), about a second at the bench's rates.
   */
  private static final int KNOWN_DOCUMENTS = 4_096;

  private final Vertx vertx;
  private final EmbeddedStoreSettings settings;
  private final AppendListeners appendListeners = new AppendListeners();
  private final StoreWrites writes;
  private final ReadModelStore readModels = new SqliteReadModels(this);
  private final Leases leases = new InProcessLeases();
  // the writer's own: every write of events or documents goes through append and put, which keep them
  private final KnownVersions<String, Long> streamVersions = new KnownVersions<>(KNOWN_VERSIONS);
  /** The documents written lately: what the writer checks revisions against, and what readers are answered. */
  private final KnownVersions<DocumentKey, DocumentVersion> documents = new KnownVersions<>(KNOWN_DOCUMENTS);
  /** Statements run on the writer's connection and on the readers' (for measurements). */
  private final LongAdder writerStatements = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final RecentEvents recentEvents;
  private final StagedAppends stagedAppends;
  /** Set before the writer starts, used on its thread only. */
  private LogPositions positions;
  /** Set before the writer starts. */
  private KeysInTheFile keys;
  private SqliteWriter writer;
  private BlockingQueue<Connection> readers;
  private volatile boolean closed;

  private SqliteEventStore(Vertx vertx, EventSchemas schemas, EmbeddedStoreSettings settings) {
    this.vertx = vertx;
    this.writes = new StoreWrites(schemas, this::written, appendListeners);
    this.settings = settings;
    this.recentEvents = new RecentEvents(settings.recentEvents(), true);
    this.stagedAppends = new StagedAppends(recentEvents);
  }

  /** Opens (creating and migrating as needed) the store file. */
  public static Future<EventStore> open(Vertx vertx, EventSchemas schemas, EmbeddedStoreSettings settings) {
    SqliteEventStore store = new SqliteEventStore(vertx, schemas, settings);
    return vertx.executeBlocking(() -> {
      store.openConnections();
      return store;
    });
  }

  private void openConnections() throws SQLException, IOException {
    Path file = Path.of(settings.path()).toAbsolutePath();
    OwnerOnlyFiles.prepare(file);
    String url = "jdbc:sqlite:" + file;
    Connection writeConnection = DriverManager.getConnection(url, SqlitePragmas.writerConnection());
    SqlitePragmas.writer(writeConnection, settings.synchronous());
    SqliteSchema.migrate(writeConnection);
    OwnerOnlyFiles.tightenCompanions(file);
    StatementCaches.track(writeConnection, writerStatements);
    readers = new ArrayBlockingQueue<>(settings.readers());
    for (int i = 0; i < settings.readers(); i++) {
      Connection reader = DriverManager.getConnection(url);
      SqlitePragmas.reader(reader);
      StatementCaches.track(reader, reads);
      readers.add(reader);
    }
    positions = LogPositions.after(writeConnection);
    keys = KeysInTheFile.of(writeConnection, work -> read(connection -> {
      work.run(connection);
      return null;
    }));
    // the feed last: a reader it wakes finds everything else of the batch known
    writer = new SqliteWriter(writeConnection, settings.writeQueue(), settings.maxBatch(),
        List.of(positions, streamVersions, documents, keys, stagedAppends));
    writer.start();
    LOG.info("embedded store open at {} (synchronous={})", file, settings.synchronous());
  }

  // ---------------------------------------------------------------- writes: the runtime's, with this store's statements

  @Override
  public StoreWrites writes() {
    return writes;
  }

  /**
   * One write of the runtime's, on the writer's thread with this store's statements; its events are
   * numbered and encoded here first, on the caller's thread (see {@link NumberedEvents}).
   */
  private <T> Future<T> written(UnitOfWork work, Function<WriteStatements, Future<T>> statements) {
    NumberedEvents numbered;
    try {
      numbered = work == null ? NumberedEvents.NONE : NumberedEvents.of(work);
    } catch (RuntimeException unwritable) { // data JSON cannot hold: refused as the writer would have
      return Future.failedFuture(unwritable);
    }
    return write(connection -> BlockingAnswers.answered(statements.apply(
        new SqliteStatements(connection, numbered, positions, streamVersions, documents, keys, stagedAppends))));
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Future<Set<String>> handledAmong(String consumer, Collection<StoredEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String ids = new JsonArray(events.stream().map(StoredEvent::id).toList()).encode();
    return read(connection -> {
      Set<String> handled = new HashSet<>();
      PreparedStatement select = prepared(connection, SqliteSql.SELECT_INBOX_AMONG);
      select.setString(1, consumer);
      select.setString(2, ids);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          handled.add(rows.getString(1));
        }
      }
      for (StoredEvent event : events) {
        // an event the inbox answered for (an earlier build's entry) needs no read of its stream
        if (event.handledIsKnownByItsStream() && !handled.contains(event.id())
            && SqliteStatements.appliedInStream(connection, consumer, event.streamId()).orElse(0)
            >= event.envelope().sequence()) {
          handled.add(event.id());
        }
      }
      return handled;
    });
  }

  @Override
  public Future<Long> checkpoint(String consumer) {
    return positionOf(SqliteSql.SELECT_CHECKPOINT, consumer);
  }

  KeysInTheFile keysInTheFile() {
    return keys;
  }

  /** The node's feed of committed events. */
  RecentEvents recentEvents() {
    return recentEvents;
  }

  @Override
  public Future<Long> handledUpTo(String consumer) {
    return positionOf(SqliteSql.SELECT_INBOX_REACH, consumer);
  }

  /** The position a query selects for a consumer, 0 if it has none. */
  private Future<Long> positionOf(String sql, String consumer) {
    return read(connection -> {
      PreparedStatement select = prepared(connection, sql);
      select.setString(1, consumer);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0L;
      }
    });
  }

  @Override
  public Future<List<StoredEvent>> readStream(String streamId) {
    List<StoredEvent> recent = closed ? null : recentEvents.stream(streamId);
    if (recent != null) {
      return Future.succeededFuture(recent);
    }
    if (!closed && !keys.mayHold(KeysInTheFile.stream(streamId))) {
      return Future.succeededFuture(List.of());
    }
    return read(connection -> events(connection, SqliteSql.SELECT_STREAM, select -> select.setString(1, streamId)));
  }

  @Override
  public Future<List<StoredEvent>> readSubject(String subject) {
    return read(connection -> events(connection, SqliteSql.SELECT_SUBJECT, select -> select.setString(1, subject)));
  }

  @Override
  public Future<List<StoredEvent>> readAll(long afterPosition, Set<String> types, int limit) {
    List<StoredEvent> recent = closed ? null : recentEvents.after(afterPosition, types, limit);
    if (recent != null) {
      return Future.succeededFuture(recent);
    }
    List<String> typeList = new ArrayList<>(types);
    String sql = typeList.isEmpty() ? SqliteSql.SELECT_ALL : SqliteSql.selectAllOfTypes(typeList.size());
    return read(connection -> events(connection, sql, select -> {
      select.setLong(1, afterPosition);
      int index = 2;
      for (String type : typeList) {
        select.setString(index++, type);
      }
      select.setInt(index, limit);
    }));
  }

  @Override
  public Future<Long> countAfter(long afterPosition, Set<String> types) {
    String sql = "SELECT count(*) FROM events WHERE position > ?"
        + (types.isEmpty() ? "" : " AND type IN (" + String.join(",", Collections.nCopies(types.size(), "?")) + ")");
    return read(connection -> {
      PreparedStatement select = prepared(connection, sql);
      select.setLong(1, afterPosition);
      int index = 2;
      for (String type : types) {
        select.setString(index++, type);
      }
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    });
  }

  @Override
  public Future<Optional<Document>> document(String collection, String id) {
    DocumentKey key = new DocumentKey(collection, id);
    DocumentVersion known = closed ? null : documents.committed(key);
    if (known != null) { // a body of its own, parsed anew: a reader may change it
      return Future.succeededFuture(Optional.of(new Document(collection, id, known.revision(), ExactJson.parse(known.body()))));
    }
    if (!closed && !keys.mayHold(KeysInTheFile.document(key))) {
      return Future.succeededFuture(Optional.empty());
    }
    return read(connection -> {
      PreparedStatement select = prepared(connection, SqliteSql.SELECT_DOCUMENT);
      select.setString(1, collection);
      select.setString(2, id);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(new Document(collection, id, rows.getLong(1), ExactJson.parse(rows.getString(2))));
      }
    });
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(int limit) {
    return read(connection -> {
      PreparedStatement select = prepared(connection, SqliteSql.SELECT_DEAD_LETTERS);
      select.setInt(1, limit);
      return deadLetters(select);
    });
  }

  @Override
  public Future<Optional<DeadLetter>> findDeadLetter(String id) {
    return read(connection -> {
      PreparedStatement select = prepared(connection, SqliteSql.SELECT_DEAD_LETTER);
      select.setString(1, id);
      return deadLetters(select).stream().findFirst();
    });
  }

  @Override
  public void observeAppends(Consumer<List<StoredEvent>> observer) {
    appendListeners.observe(observer);
  }

  /**
   * What this store has run on SQLite so far: the writer's statements ({@code BEGIN} and
   * {@code COMMIT} counted for each transaction, as sqlite-jdbc runs them), and the readers' queries.
   */
  @Override
  public StatementsSent statementsSent() {
    long transactions = writer.committedTransactions();
    return new StatementsSent(writerStatements.sum() + 2 * transactions, 0, reads.sum(), transactions);
  }

  @Override
  public Leases leases() {
    return leases;
  }

  @Override
  public ReadModelStore readModels() {
    return readModels;
  }

  @Override
  public Future<Void> ping() {
    return read(connection -> {
      try (ResultSet rows = prepared(connection, "SELECT 1").executeQuery()) {
        rows.next();
        return null;
      }
    });
  }

  @Override
  public Registration onAppended(Set<String> types, Runnable listener) {
    return appendListeners.add(vertx, types, listener);
  }

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    return vertx.executeBlocking(() -> {
      if (writer != null) {
        writer.close(TimeUnit.SECONDS.toMillis(30));
      }
      if (readers != null) {
        for (Connection reader : readers) {
          StatementCaches.closeWithStatements(reader);
        }
      }
      LOG.info("embedded store closed");
      return null;
    });
  }

  // ---------------------------------------------------------------- plumbing


  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  interface ReadWork<T> {
    T run(Connection connection) throws Exception;
  }

  <T> Future<T> write(SqliteWriter.Work<T> work) {
    if (closed) {
      return Future.failedFuture(new StoreUnavailable("the embedded store is closed", null));
    }
    return writer.submit(vertx.getOrCreateContext(), work);
  }

  <T> Future<T> read(ReadWork<T> work) {
    if (closed) {
      return Future.failedFuture(new StoreUnavailable("the embedded store is closed", null));
    }
    return vertx.executeBlocking(() -> {
      Connection connection = readers.poll(5, TimeUnit.SECONDS);
      if (connection == null) {
        throw new StoreUnavailable("no read connection became free within 5 s", null);
      }
      try {
        return work.run(connection);
      } finally {
        readers.add(connection);
      }
    }, false);
  }

  private static List<StoredEvent> events(Connection connection, String sql, Binder binder) throws SQLException {
    PreparedStatement select = prepared(connection, sql);
    binder.bind(select);
    try (ResultSet rows = select.executeQuery()) {
      List<StoredEvent> events = new ArrayList<>();
      while (rows.next()) {
        events.add(new StoredEvent(rows.getLong(1), EventEnvelope.fromJson(ExactJson.parse(rows.getString(2)))));
      }
      return events.isEmpty() ? Collections.emptyList() : events;
    }
  }

  private static List<DeadLetter> deadLetters(PreparedStatement select) throws SQLException {
    List<DeadLetter> letters = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        letters.add(new DeadLetter(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4),
            rows.getString(5), rows.getInt(6), ExactJson.parse(rows.getString(7)), rows.getString(8)));
      }
    }
    return letters;
  }
}
