package dev.switchboard.stores.embedded;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.ExactJson;
import dev.switchboard.runtime.store.AppendListeners;
import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.ConsumerMarks;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DeadLetterGone;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentKey;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.Leases;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.Registration;
import dev.switchboard.runtime.store.RecentEvents;
import dev.switchboard.runtime.store.StaleEvent;
import dev.switchboard.runtime.store.StatementsSent;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import static dev.switchboard.stores.embedded.StatementCaches.prepared;

/**
 * The zero-setup event store: one SQLite file in WAL mode.
 *
 * <p>Writes go through {@link SqliteWriter}'s single thread; reads run on Vert.x worker threads over
 * a small pool of read connections (WAL lets readers and the writer proceed together). Nothing here
 * runs on an event loop. Because SQLite has one writer, positions are assigned in commit order and
 * the log has no late-committing gaps.
 */
public final class SqliteEventStore implements EventStore, StatementsSent.Counted {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteEventStore.class);
  /** Streams, and documents, whose version the writer remembers (about 15 MB of heap each when full). */
  private static final int KNOWN_VERSIONS = 100_000;

  private final Vertx vertx;
  private final EventSchemas schemas;
  private final EmbeddedStoreSettings settings;
  private final AppendListeners appendListeners = new AppendListeners();
  private final ReadModelStore readModels = new SqliteReadModels(this);
  private final Leases leases = new InProcessLeases();
  // the writer's own: every write of events or documents goes through append and put, which keep them
  private final KnownVersions<String> streamVersions = new KnownVersions<>(KNOWN_VERSIONS);
  private final KnownVersions<DocumentKey> documentRevisions = new KnownVersions<>(KNOWN_VERSIONS);
  /** Statements run on the writer's connection and on the readers' (for measurements). */
  private final LongAdder writerStatements = new LongAdder();
  private final LongAdder reads = new LongAdder();
  private final RecentEvents recentEvents;
  private final StagedAppends stagedAppends;
  private SqliteWriter writer;
  private BlockingQueue<Connection> readers;
  private volatile boolean closed;

  private SqliteEventStore(Vertx vertx, EventSchemas schemas, EmbeddedStoreSettings settings) {
    this.vertx = vertx;
    this.schemas = schemas;
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
    writer = new SqliteWriter(writeConnection, settings.writeQueue(), settings.maxBatch(),
        List.of(streamVersions, documentRevisions, stagedAppends));
    writer.start();
    LOG.info("embedded store open at {} (synchronous={})", file, settings.synchronous());
  }

  // ---------------------------------------------------------------- writes

  @Override
  public Future<List<StoredEvent>> commit(UnitOfWork work) {
    return validateThenWrite(work, (connection, numbered) -> apply(connection, work, numbered))
        .onSuccess(appendListeners::afterCommit);
  }

  @Override
  public Future<ConsumeOutcome> commitConsumed(String consumer, StoredEvent cause, UnitOfWork work) {
    List<StoredEvent> appended = new ArrayList<>();
    return validateThenWrite(work, (connection, numbered) -> {
      if (!markHandled(connection, consumer, cause)) {
        return ConsumeOutcome.DUPLICATE;
      }
      raiseInboxReach(connection, consumer, cause.position());
      appended.addAll(apply(connection, work, numbered));
      return ConsumeOutcome.APPLIED;
    }).onSuccess(outcome -> appendListeners.afterCommit(appended));
  }

  @Override
  public Future<Void> commitConsumedTogether(String consumer, List<StoredEvent> causes, UnitOfWork work) {
    List<StoredEvent> appended = new ArrayList<>();
    return validateThenWrite(work, (connection, numbered) -> {
      long highest = 0;
      for (StoredEvent cause : causes) {
        if (!markHandled(connection, consumer, cause)) {
          throw ConsumerMarks.handledBefore(consumer, List.of(cause.id()));
        }
        highest = Math.max(highest, cause.position());
      }
      raiseInboxReach(connection, consumer, highest);
      appended.addAll(apply(connection, work, numbered));
      return (Void) null;
    }).onSuccess(v -> appendListeners.afterCommit(appended));
  }

  @Override
  public Future<Void> deadLetter(DeadLetter letter) {
    return write(connection -> {
      Optional<StoredEvent> ofTheLog = letter.ofTheLog();
      if (ofTheLog.isPresent()) {
        StoredEvent event = ofTheLog.get();
        advanceStream(connection, letter.consumer(), event.streamId(), event.envelope().sequence());
      } else {
        remember(connection, letter.consumer(), letter.eventId());
      }
      raiseInboxReach(connection, letter.consumer(), letter.position());
      PreparedStatement insert = prepared(connection, SqliteSql.INSERT_DEAD_LETTER);
      insert.setString(1, letter.id());
      insert.setString(2, letter.consumer());
      insert.setString(3, letter.eventId());
      insert.setLong(4, letter.position());
      insert.setString(5, letter.reason());
      insert.setInt(6, letter.attempts());
      insert.setString(7, letter.event().encode());
      insert.setString(8, letter.failedAt());
      insert.executeUpdate();
      return null;
    });
  }

  @Override
  public Future<Void> saveCheckpoint(String consumer, long position) {
    return write(connection -> {
      advanceCheckpoint(connection, consumer, position);
      return null;
    });
  }

  @Override
  public Future<Void> commitReplayed(String consumer, String deadLetterId, StoredEvent cause, UnitOfWork work) {
    List<StoredEvent> appended = new ArrayList<>();
    return validateThenWrite(work, (connection, numbered) -> {
      PreparedStatement delete = prepared(connection, SqliteSql.DELETE_DEAD_LETTER);
      delete.setString(1, deadLetterId);
      if (delete.executeUpdate() == 0) {
        throw new DeadLetterGone(deadLetterId);
      }
      boolean advanced = ConsumerMarks.movesItsStream(cause)
          && replayedInStream(connection, consumer, cause.streamId(), cause.envelope().sequence());
      if (ConsumerMarks.judgeReplay(cause, advanced) == ConsumerMarks.Verdict.STALE) {
        throw stale(connection, consumer, cause);
      }
      appended.addAll(apply(connection, work, numbered));
      return (Void) null;
    }).onSuccess(v -> appendListeners.afterCommit(appended));
  }

  @Override
  public Future<Boolean> discardDeadLetter(String id) {
    return write(connection -> {
      PreparedStatement delete = prepared(connection, SqliteSql.DELETE_DEAD_LETTER);
      delete.setString(1, id);
      return delete.executeUpdate() == 1;
    });
  }

  private List<StoredEvent> apply(Connection connection, UnitOfWork work, NumberedEvents numbered) throws SQLException {
    List<StoredEvent> stored = new ArrayList<>();
    for (int i = 0; i < work.appends().size(); i++) {
      stored.addAll(append(connection, work.appends().get(i), i, numbered));
    }
    for (DocumentWrite document : work.documents()) {
      put(connection, document);
    }
    return stored;
  }

  private List<StoredEvent> append(Connection connection, StreamAppend append, int index, NumberedEvents numbered)
      throws SQLException {
    // a stream expected to be new is not looked up unless this writer knows it: if it exists after
    // all, its first version is taken and the unique key (stream_id, version) refuses the insert (any
    // other expected version is checked against the stream's: a stream behind it would get a gap)
    long current = append.follows(append.expectedVersion() == ExpectedVersion.NONE
        ? streamVersions.findOrNew(append.streamId()) : streamVersion(connection, append.streamId()));
    List<StoredEvent> stored = new ArrayList<>(append.events().size());
    try {
      for (NumberedEvents.Numbered event : numbered.of(index, append, current)) {
        EventEnvelope sequenced = event.envelope();
        PreparedStatement insert = prepared(connection, SqliteSql.INSERT_EVENT);
        insert.setString(1, append.streamId());
        insert.setLong(2, sequenced.sequence());
        insert.setString(3, sequenced.id());
        insert.setString(4, sequenced.type());
        insert.setString(5, sequenced.subject());
        insert.setString(6, event.text());
        long position;
        try (ResultSet keys = insert.executeQuery()) {
          keys.next();
          position = keys.getLong(1);
        }
        stored.add(new StoredEvent(position, sequenced));
      }
      streamVersions.stage(append.streamId(), current + append.events().size());
      stagedAppends.stage(stored);
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        streamVersions.forget(append.streamId());
        throw append.refusedByUniqueKey(streamVersion(connection, append.streamId()), e.getMessage());
      }
      throw e;
    }
    return stored;
  }

  private void put(Connection connection, DocumentWrite document) throws SQLException {
    DocumentKey key = document.key();
    // a document expected to be new is not looked up: if it exists, the upsert's revision check refuses it
    long revision = document.revisionAfter(document.expectedRevision() == ExpectedVersion.NONE
        ? documentRevisions.findOrNew(key) : documentRevision(connection, key));
    PreparedStatement upsert = prepared(connection, SqliteSql.UPSERT_DOCUMENT);
    upsert.setString(1, document.collection());
    upsert.setString(2, document.id());
    upsert.setLong(3, revision);
    upsert.setString(4, document.body().encode());
    if (upsert.executeUpdate() == 0) {
      documentRevisions.forget(key);
      throw document.refusedAt(documentRevision(connection, key));
    }
    documentRevisions.stage(key, revision);
  }

  private long documentRevision(Connection connection, DocumentKey key) throws SQLException {
    Long known = documentRevisions.find(key);
    if (known != null) {
      return known;
    }
    PreparedStatement select = prepared(connection, SqliteSql.SELECT_DOCUMENT_REVISION);
    select.setString(1, key.collection());
    select.setString(2, key.id());
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  /**
   * Writes the consumer's progress over an event: its place in the event's stream and, for an event
   * not of the log, the event's id in its inbox. False, writing nothing, if it handled the event
   * before; fails with {@link StaleEvent} for an event from a broker older than one applied already.
   */
  private static boolean markHandled(Connection connection, String consumer, StoredEvent cause) throws SQLException {
    // nothing more is written once a mark is refused: a duplicate's commit writes nothing
    boolean entered = !ConsumerMarks.needsInboxEntry(cause) || remember(connection, consumer, cause.id());
    boolean advanced = entered && ConsumerMarks.movesItsStream(cause)
        && advanceStream(connection, consumer, cause.streamId(), cause.envelope().sequence());
    return switch (ConsumerMarks.judge(cause, entered, advanced)) {
      case FRESH -> true;
      case DUPLICATE -> false;
      case STALE -> throw stale(connection, consumer, cause);
    };
  }

  /** Writes the inbox entry; false if it was there already (the event was handled before). */
  private static boolean remember(Connection connection, String consumer, String eventId) throws SQLException {
    PreparedStatement insert = prepared(connection, SqliteSql.INSERT_INBOX);
    insert.setString(1, consumer);
    insert.setString(2, eventId);
    insert.setString(3, Instant.now().toString());
    return insert.executeUpdate() == 1;
  }

  /** Raises how far along the log the consumer's progress reaches, to an event of the log's position. */
  private static void raiseInboxReach(Connection connection, String consumer, long position) throws SQLException {
    if (position <= 0) {
      return; // not read from the log
    }
    PreparedStatement upsert = prepared(connection, SqliteSql.RAISE_INBOX_REACH);
    upsert.setString(1, consumer);
    upsert.setLong(2, position);
    upsert.executeUpdate();
  }

  /** Raises the consumer's sequence of a stream; false, changing nothing, if it is there already or beyond. */
  private static boolean advanceStream(Connection connection, String consumer, String streamId, long sequence)
      throws SQLException {
    return streamUpsert(connection, SqliteSql.ADVANCE_CONSUMER_STREAM, consumer, streamId, sequence);
  }

  /**
   * The consumer's sequence of a stream for a replayed dead letter: its own sequence may be there
   * already (a dead letter of the log marks it), a later one may not; false, changing nothing, then.
   */
  private static boolean replayedInStream(Connection connection, String consumer, String streamId, long sequence)
      throws SQLException {
    return streamUpsert(connection, SqliteSql.REPLAY_CONSUMER_STREAM, consumer, streamId, sequence);
  }

  private static boolean streamUpsert(Connection connection, String sql, String consumer, String streamId,
                                      long sequence) throws SQLException {
    PreparedStatement upsert = prepared(connection, sql);
    upsert.setString(1, consumer);
    upsert.setString(2, streamId);
    upsert.setLong(3, sequence);
    return upsert.executeUpdate() == 1;
  }

  /** A {@link StaleEvent} saying how far the consumer applied the event's stream. */
  private static StaleEvent stale(Connection connection, String consumer, StoredEvent cause) throws SQLException {
    return ConsumerMarks.stale(consumer, cause, appliedInStream(connection, consumer, cause.streamId()).orElse(0));
  }

  private static OptionalLong appliedInStream(Connection connection, String consumer, String streamId)
      throws SQLException {
    PreparedStatement select = prepared(connection, SqliteSql.SELECT_CONSUMER_STREAM);
    select.setString(1, consumer);
    select.setString(2, streamId);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
    }
  }

  private static void advanceCheckpoint(Connection connection, String consumer, long position) throws SQLException {
    if (position <= 0) {
      return;
    }
    PreparedStatement upsert = prepared(connection, SqliteSql.UPSERT_CHECKPOINT);
    upsert.setString(1, consumer);
    upsert.setLong(2, position);
    upsert.executeUpdate();
  }

  private long streamVersion(Connection connection, String streamId) throws SQLException {
    Long known = streamVersions.find(streamId);
    if (known != null) {
      return known;
    }
    PreparedStatement select = prepared(connection, SqliteSql.SELECT_STREAM_VERSION);
    select.setString(1, streamId);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  /** Writes on the writer's connection that need a work's events, numbered on the caller's thread. */
  private interface NumberedWrites<T> {
    T run(Connection connection, NumberedEvents numbered) throws Exception;
  }

  private <T> Future<T> validateThenWrite(UnitOfWork work, NumberedWrites<T> writes) {
    return work.writtenIfValid(schemas, () -> {
      NumberedEvents numbered;
      try {
        numbered = NumberedEvents.of(work);
      } catch (RuntimeException unwritable) { // data JSON cannot hold: refused as the writer would have
        return Future.failedFuture(unwritable);
      }
      return write(connection -> writes.run(connection, numbered));
    });
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
        if (event.handledIsKnownByItsStream()
            && appliedInStream(connection, consumer, event.streamId()).orElse(0) >= event.envelope().sequence()) {
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

  private static boolean isUniqueViolation(SQLException e) {
    return e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed");
  }
}
