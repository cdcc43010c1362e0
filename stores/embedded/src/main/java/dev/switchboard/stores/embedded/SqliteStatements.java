package dev.switchboard.stores.embedded;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.ConsumerMarks;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DocumentKey;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.store.write.WriteStatements;
import io.vertx.core.Future;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

import static dev.switchboard.stores.embedded.BlockingAnswers.now;
import static dev.switchboard.stores.embedded.StatementCaches.prepared;

/**
 * The embedded store's statements for one write, on the writer's connection and thread. SQLite's
 * driver blocks, so each answers at once: a future already complete.
 *
 * <p>The versions of streams and revisions of documents the writer remembers spare most reads of
 * them; the file's own guards (a unique key, a revision compared in the upsert) refuse a write the
 * memory got wrong.
 */
final class SqliteStatements implements WriteStatements {

  /**
   * When an inbox entry was made, or a document expires, as text of one width (nine digits of
   * fraction, always), so that comparing two as text compares the instants: {@link Instant#toString()}
   * leaves out a fraction of zero, and "10:00:00Z" sorts after "10:00:00.5Z". Inbox entries of
   * earlier releases have that form; they compare wrongly only within one second.
   */
  private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendInstant(9).toFormatter();

  private final Connection connection;
  private final NumberedEvents numbered;
  private final LogPositions positions;
  private final KnownVersions<String, Long> streamVersions;
  private final KnownVersions<DocumentKey, DocumentVersion> documents;
  private final KeysInTheFile keys;
  private final StagedAppends stagedAppends;

  /** @param numbered the events of the write's unit of work, numbered and encoded before it reached the writer */
  SqliteStatements(Connection connection, NumberedEvents numbered, LogPositions positions,
                   KnownVersions<String, Long> streamVersions, KnownVersions<DocumentKey, DocumentVersion> documents,
                   KeysInTheFile keys, StagedAppends stagedAppends) {
    this.connection = connection;
    this.positions = positions;
    this.numbered = numbered;
    this.streamVersions = streamVersions;
    this.documents = documents;
    this.keys = keys;
    this.stagedAppends = stagedAppends;
  }

  @Override
  public Future<Marks> mark(String consumer, List<StoredEvent> events) {
    return now(() -> {
      Set<String> entered = new HashSet<>();
      Set<String> advanced = new HashSet<>();
      long reach = 0;
      for (StoredEvent event : events) {
        if (ConsumerMarks.needsInboxEntry(event)) {
          if (!remember(consumer, event.id())) {
            continue; // nothing more is written for an event once a mark of it is refused
          }
          entered.add(event.id());
        }
        if (ConsumerMarks.movesItsStream(event) && advanceStream(consumer, event.streamId(), event.envelope().sequence())) {
          advanced.add(event.id());
        }
        reach = Math.max(reach, event.position());
      }
      raiseInboxReach(consumer, reach);
      return new Marks(entered, advanced);
    });
  }

  @Override
  public Future<Long> placeInStream(String consumer, String streamId) {
    return now(() -> appliedInStream(connection, consumer, streamId).orElse(0));
  }

  @Override
  public Future<Boolean> replayInStream(String consumer, StoredEvent event) {
    return now(() -> streamUpsert(SqliteSql.REPLAY_CONSUMER_STREAM, consumer, event.streamId(), event.envelope().sequence()));
  }

  @Override
  public Future<List<StoredEvent>> apply(UnitOfWork work) {
    return now(() -> {
      List<StoredEvent> stored = new ArrayList<>();
      for (int i = 0; i < work.appends().size(); i++) {
        stored.addAll(append(work.appends().get(i), i));
      }
      for (DocumentWrite document : work.documents()) {
        put(document);
      }
      return stored;
    });
  }

  @Override
  public Future<Void> keepDeadLetter(DeadLetter letter) {
    return now(() -> {
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
  public Future<Boolean> advanceInStream(String consumer, String streamId, long sequence) {
    return now(() -> advanceStream(consumer, streamId, sequence));
  }

  @Override
  public Future<Boolean> enterInInbox(String consumer, String eventId) {
    return now(() -> remember(consumer, eventId));
  }

  @Override
  public Future<Void> raiseReach(String consumer, long position) {
    return now(() -> {
      raiseInboxReach(consumer, position);
      return null;
    });
  }

  @Override
  public Future<Boolean> deleteDeadLetter(String id) {
    return now(() -> {
      PreparedStatement delete = prepared(connection, SqliteSql.DELETE_DEAD_LETTER);
      delete.setString(1, id);
      return delete.executeUpdate() == 1;
    });
  }

  @Override
  public Future<Integer> forgetInboxEntries(Instant before, int limit) {
    return now(() -> {
      PreparedStatement delete = prepared(connection, SqliteSql.FORGET_INBOX);
      delete.setString(1, TIME.format(before));
      delete.setInt(2, limit);
      return delete.executeUpdate();
    });
  }

  @Override
  public Future<Integer> forgetExpiredDocuments(Instant now, int limit) {
    return now(() -> {
      PreparedStatement delete = prepared(connection, SqliteSql.FORGET_EXPIRED_DOCUMENTS);
      delete.setString(1, TIME.format(now));
      delete.setInt(2, limit);
      int forgotten = 0;
      try (ResultSet deleted = delete.executeQuery()) {
        while (deleted.next()) {
          // a revision remembered of a document that is gone would refuse the next write of it as new
          documents.forget(new DocumentKey(deleted.getString(1), deleted.getString(2)));
          forgotten++;
        }
      }
      return forgotten;
    });
  }

  @Override
  public Future<Void> raiseCheckpoint(String consumer, long position) {
    return now(() -> {
      PreparedStatement upsert = prepared(connection, SqliteSql.UPSERT_CHECKPOINT);
      upsert.setString(1, consumer);
      upsert.setLong(2, position);
      upsert.executeUpdate();
      return null;
    });
  }

  /** The consumer's sequence of a stream, if it has one: on the writer's connection or a reader's. */
  static OptionalLong appliedInStream(Connection connection, String consumer, String streamId) throws SQLException {
    PreparedStatement select = prepared(connection, SqliteSql.SELECT_CONSUMER_STREAM);
    select.setString(1, consumer);
    select.setString(2, streamId);
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
    }
  }

  private List<StoredEvent> append(StreamAppend append, int index) throws SQLException {
    // a stream expected to be new is not looked up unless this writer knows it: if it exists after
    // all, its first version is taken and the unique key (stream_id, version) refuses the insert (any
    // other expected version is checked against the stream's: a stream behind it would get a gap)
    long current = append.follows(append.expectedVersion() == ExpectedVersion.NONE
        ? versionOrNew(streamVersions.find(append.streamId())) : streamVersion(append.streamId()));
    List<StoredEvent> stored = new ArrayList<>(append.events().size());
    try {
      for (NumberedEvents.Numbered event : numbered.of(index, append, current)) {
        EventEnvelope sequenced = event.envelope();
        PreparedStatement insert = prepared(connection, SqliteSql.INSERT_EVENT);
        insert.setString(2, append.streamId());
        insert.setLong(3, sequenced.sequence());
        insert.setString(4, sequenced.id());
        insert.setString(5, sequenced.type());
        insert.setString(6, sequenced.subject());
        insert.setString(7, event.text());
        stored.add(new StoredEvent(insertAtNextPosition(insert), sequenced));
      }
      streamVersions.stage(append.streamId(), current + append.events().size());
      if (current == 0) {
        keys.added(KeysInTheFile.stream(append.streamId()));
      }
      stagedAppends.stage(stored);
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        streamVersions.forget(append.streamId());
        throw append.refusedByUniqueKey(streamVersion(append.streamId()), e.getMessage());
      }
      throw e;
    }
    return stored;
  }

  /**
   * Inserts the event at the position after the log's last, as the writer remembers it; should the
   * file hold a later one after all (nothing but this writer appends, but its memory is not what
   * guards the log), at the one after the file's.
   */
  private long insertAtNextPosition(PreparedStatement insert) throws SQLException {
    long position = positions.next();
    insert.setLong(1, position);
    try {
      insert.executeUpdate();
      return position;
    } catch (SQLiteException e) {
      if (e.getResultCode() != SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
        throw e;
      }
      position = positions.nextAfterTheFile(connection);
      insert.setLong(1, position);
      insert.executeUpdate();
      return position;
    }
  }

  private void put(DocumentWrite document) throws SQLException {
    DocumentKey key = document.key();
    // a document expected to be new is not looked up: if it exists, the upsert's revision check refuses it
    long revision = document.revisionAfter(document.expectedRevision() == ExpectedVersion.NONE
        ? revisionOrNew(documents.find(key)) : documentRevision(key));
    String body = document.body().encode();
    PreparedStatement upsert = prepared(connection, SqliteSql.UPSERT_DOCUMENT);
    upsert.setString(1, document.collection());
    upsert.setString(2, document.id());
    upsert.setLong(3, revision);
    upsert.setString(4, body);
    upsert.setString(5, document.expiresAt() == null ? null : TIME.format(document.expiresAt()));
    if (upsert.executeUpdate() == 0) {
      documents.forget(key);
      throw document.refusedAt(documentRevision(key));
    }
    documents.stage(key, new DocumentVersion(revision, body));
    if (revision == 1) {
      keys.added(KeysInTheFile.document(key));
    }
  }

  // a key expected to be new that this writer does not know is taken as new: its existence is what
  // the unique key, or the upsert's revision check, refuses instead
  private static long versionOrNew(Long known) {
    return known != null ? known : 0;
  }

  private static long revisionOrNew(DocumentVersion known) {
    return known != null ? known.revision() : 0;
  }

  private long documentRevision(DocumentKey key) throws SQLException {
    DocumentVersion known = documents.find(key);
    if (known != null) {
      return known.revision();
    }
    PreparedStatement select = prepared(connection, SqliteSql.SELECT_DOCUMENT_REVISION);
    select.setString(1, key.collection());
    select.setString(2, key.id());
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  private long streamVersion(String streamId) throws SQLException {
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

  /** Writes the inbox entry; false if it was there already (the event was handled before). */
  private boolean remember(String consumer, String eventId) throws SQLException {
    PreparedStatement insert = prepared(connection, SqliteSql.INSERT_INBOX);
    insert.setString(1, consumer);
    insert.setString(2, eventId);
    insert.setString(3, TIME.format(Instant.now()));
    return insert.executeUpdate() == 1;
  }

  /** Raises how far along the log the consumer's progress reaches, to an event of the log's position. */
  private void raiseInboxReach(String consumer, long position) throws SQLException {
    if (position <= 0) {
      return; // not read from the log
    }
    PreparedStatement upsert = prepared(connection, SqliteSql.RAISE_INBOX_REACH);
    upsert.setString(1, consumer);
    upsert.setLong(2, position);
    upsert.executeUpdate();
  }

  /** Raises the consumer's sequence of a stream; false, changing nothing, if it is there already or beyond. */
  private boolean advanceStream(String consumer, String streamId, long sequence) throws SQLException {
    return streamUpsert(SqliteSql.ADVANCE_CONSUMER_STREAM, consumer, streamId, sequence);
  }

  private boolean streamUpsert(String sql, String consumer, String streamId, long sequence) throws SQLException {
    PreparedStatement upsert = prepared(connection, sql);
    upsert.setString(1, consumer);
    upsert.setString(2, streamId);
    upsert.setLong(3, sequence);
    return upsert.executeUpdate() == 1;
  }

  private static boolean isUniqueViolation(SQLException e) {
    return e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed");
  }
}
