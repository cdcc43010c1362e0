package dev.switchboard.stores.postgres;

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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PostgreSQL store's statements for one write, sent on the writer's connection through the
 * write's {@link PostgresWriter.Tx}: each goes out when called, behind the write's earlier ones,
 * and is answered later (see {@link PostgresWriter} on pipelining). Where it can, one statement does
 * for many rows: a batch's marks from arrays, a work's new documents together.
 */
final class PostgresStatements implements WriteStatements {

  private final PostgresWriter.Tx tx;
  private final String origin;

  /** @param origin the store's id, the node of its rows of consumers' reach */
  PostgresStatements(PostgresWriter.Tx tx, String origin) {
    this.tx = tx;
    this.origin = origin;
  }

  @Override
  public Future<Marks> mark(String consumer, List<StoredEvent> events) {
    if (events.size() > 1 && eachRowOnce(events)) {
      return markAll(consumer, events);
    }
    List<Future<Marks>> each = events.stream().map(event -> markOne(consumer, event)).toList();
    return Future.all(each).map(all -> {
      Set<String> entered = new HashSet<>();
      Set<String> advanced = new HashSet<>();
      for (Future<Marks> marks : each) {
        entered.addAll(marks.result().entered());
        advanced.addAll(marks.result().advanced());
      }
      return new Marks(entered, advanced);
    });
  }

  @Override
  public Future<Long> placeInStream(String consumer, String streamId) {
    return tx.execute(PostgresSql.SELECT_CONSUMER_STREAM, Tuple.of(consumer, streamId))
        .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getLong(0));
  }

  @Override
  public Future<Boolean> replayInStream(String consumer, StoredEvent event) {
    return tx.execute(PostgresSql.REPLAY_CONSUMER_STREAM, Tuple.of(consumer, event.streamId(), event.envelope().sequence()))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Sends the statements of every append and document at once, in order, and takes their answers
   * in that order: the work fails as its first failing statement. An append after whatever its
   * stream holds must read the stream's version first: then each waits for the one before.
   */
  @Override
  public Future<List<StoredEvent>> apply(UnitOfWork work) {
    boolean oneByOne = work.appends().stream().anyMatch(StreamAppend::takesAnyVersion);
    if (oneByOne) {
      tx.dependsOnAnswers();
    }
    List<StoredEvent> stored = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (StreamAppend append : work.appends()) {
      Future<List<StoredEvent>> sent = oneByOne ? null : append(append);
      chain = chain.compose(previous -> (oneByOne ? append(append) : sent).map(events -> {
        stored.addAll(events);
        return null;
      }));
    }
    List<DocumentWrite> newTogether = oneByOne ? List.of() : newDocumentsTogether(work.documents());
    for (DocumentWrite document : work.documents()) {
      if (newTogether.contains(document)) {
        continue;
      }
      Future<Void> sent = oneByOne ? null : put(document);
      chain = chain.compose(previous -> oneByOne ? put(document) : sent);
    }
    if (!newTogether.isEmpty()) {
      Future<Void> sent = insertAll(newTogether);
      chain = chain.compose(previous -> sent);
    }
    return chain.map(done -> stored.isEmpty() ? List.of() : stored);
  }

  @Override
  public Future<Void> keepDeadLetter(DeadLetter letter) {
    return tx.execute(PostgresSql.UPSERT_DEAD_LETTER, Tuple.of(
        letter.id(), letter.consumer(), KeepableText.of(letter.eventId()), letter.position(),
        KeepableText.of(letter.reason()), letter.attempts(), letter.event().encode(), letter.failedAt())).mapEmpty();
  }

  @Override
  public Future<Boolean> advanceInStream(String consumer, String streamId, long sequence) {
    return tx.execute(PostgresSql.ADVANCE_CONSUMER_STREAM, Tuple.of(consumer, streamId, sequence))
        .map(advanced -> advanced.rowCount() > 0);
  }

  @Override
  public Future<Boolean> enterInInbox(String consumer, String eventId) {
    return tx.execute(PostgresSql.INSERT_INBOX, Tuple.of(consumer, KeepableText.of(eventId)))
        .map(entered -> entered.rowCount() > 0);
  }

  @Override
  public Future<Void> raiseReach(String consumer, long position) {
    return tx.execute(PostgresSql.RAISE_INBOX_REACH, Tuple.of(consumer, position, origin)).mapEmpty();
  }

  @Override
  public Future<Boolean> deleteDeadLetter(String id) {
    return tx.execute(PostgresSql.DELETE_DEAD_LETTER, Tuple.of(id)).map(deleted -> deleted.rowCount() > 0);
  }

  @Override
  public Future<Integer> forgetInboxEntries(Instant before, int limit) {
    return tx.execute(PostgresSql.FORGET_INBOX, Tuple.of(before.atOffset(ZoneOffset.UTC), limit))
        .map(RowSet::rowCount);
  }

  @Override
  public Future<Integer> forgetExpiredDocuments(Instant now, int limit) {
    return tx.execute(PostgresSql.FORGET_EXPIRED_DOCUMENTS, Tuple.of(now.atOffset(ZoneOffset.UTC), limit))
        .map(RowSet::rowCount);
  }

  @Override
  public Future<Void> raiseCheckpoint(String consumer, long position) {
    return tx.execute(PostgresSql.UPSERT_CHECKPOINT, Tuple.of(consumer, position)).mapEmpty();
  }

  /** One event's marks and the consumer's reach in one statement ({@link PostgresSql#REMEMBER_AND_ADVANCE}). */
  private Future<Marks> markOne(String consumer, StoredEvent event) {
    boolean ofTheLog = !ConsumerMarks.needsInboxEntry(event);
    return tx.execute(PostgresSql.REMEMBER_AND_ADVANCE, Tuple.of(consumer, event.id(), event.streamId(),
            event.envelope().sequence(), event.position(), origin, ofTheLog))
        .map(rows -> {
          Row counts = rows.iterator().next();
          return new Marks(counts.getLong(0) == 1 ? Set.of(event.id()) : Set.of(),
              counts.getLong(1) == 1 ? Set.of(event.id()) : Set.of());
        });
  }

  /**
   * Whether {@link PostgresSql#REMEMBER_AND_ADVANCE_ALL} may take these events: no event twice, and
   * no stream twice among those with a sequence. A batch holds one event per subject, so this is
   * the rule; else each event goes in a statement of its own.
   */
  private static boolean eachRowOnce(List<StoredEvent> events) {
    Set<String> ids = new HashSet<>();
    Set<String> streams = new HashSet<>();
    for (StoredEvent event : events) {
      if (!ids.add(event.id()) || ConsumerMarks.movesItsStream(event) && !streams.add(event.streamId())) {
        return false;
      }
    }
    return true;
  }

  /** The marks of every event of a batch and the consumer's reach in one statement. */
  private Future<Marks> markAll(String consumer, List<StoredEvent> events) {
    int size = events.size();
    String[] eventIds = new String[size];
    String[] streamIds = new String[size];
    Long[] sequences = new Long[size];
    Boolean[] ofTheLog = new Boolean[size];
    long highest = 0;
    for (int i = 0; i < size; i++) {
      StoredEvent event = events.get(i);
      eventIds[i] = event.id();
      streamIds[i] = event.streamId();
      sequences[i] = event.envelope().sequence();
      ofTheLog[i] = !ConsumerMarks.needsInboxEntry(event);
      highest = Math.max(highest, event.position());
    }
    return tx.execute(PostgresSql.REMEMBER_AND_ADVANCE_ALL,
            Tuple.of(consumer, eventIds, streamIds, sequences, highest, origin, ofTheLog))
        .map(rows -> {
          Row answer = rows.iterator().next();
          Set<String> entered = Set.copyOf(Arrays.asList(answer.getArrayOfStrings(0)));
          Set<String> advancedStreams = Set.copyOf(Arrays.asList(answer.getArrayOfStrings(1)));
          Set<String> advanced = new HashSet<>();
          for (StoredEvent event : events) { // each stream once among those with a sequence
            if (ConsumerMarks.movesItsStream(event) && advancedStreams.contains(event.streamId())) {
              advanced.add(event.id());
            }
          }
          return new Marks(entered, advanced);
        });
  }

  /**
   * The new documents of a unit of work that may go in one statement: all of them, if there are
   * several and no document of the work is written twice (a second write of one would have to see
   * the first); else none.
   */
  private static List<DocumentWrite> newDocumentsTogether(List<DocumentWrite> documents) {
    List<DocumentWrite> fresh = documents.stream()
        .filter(document -> document.expectedRevision() == ExpectedVersion.NONE).toList();
    if (fresh.size() < 2) {
      return List.of();
    }
    Set<DocumentKey> keys = new HashSet<>();
    for (DocumentWrite document : documents) {
      if (!keys.add(document.key())) {
        return List.of();
      }
    }
    return fresh;
  }

  /**
   * Inserts new documents in one statement; fails with a conflict, naming the first of them that
   * exists already, if any does.
   */
  private Future<Void> insertAll(List<DocumentWrite> documents) {
    int size = documents.size();
    String[] collections = new String[size];
    String[] ids = new String[size];
    String[] bodies = new String[size];
    String[] expiries = new String[size];
    for (int i = 0; i < size; i++) {
      DocumentWrite document = documents.get(i);
      collections[i] = document.collection();
      ids[i] = document.id();
      bodies[i] = document.body().encode();
      expiries[i] = document.expiresAt() == null ? "" : document.expiresAt().toString();
    }
    return tx.execute(PostgresSql.INSERT_DOCUMENTS, Tuple.of(collections, ids, bodies, expiries)).compose(rows -> {
      if (rows.rowCount() == size) {
        return Future.succeededFuture();
      }
      Set<DocumentKey> inserted = new HashSet<>();
      rows.forEach(row -> inserted.add(new DocumentKey(row.getString(0), row.getString(1))));
      DocumentWrite existing = documents.stream()
          .filter(document -> !inserted.contains(document.key()))
          .findFirst().orElseThrow();
      return conflict(existing);
    });
  }

  /**
   * Appends after the expected version in one statement for the events (the insert checks
   * the version, see {@link PostgresSql#INSERT_EVENTS}); only an append with no expectation reads
   * the stream's version first. The append lock comes first either way: the version checked after
   * it is the stream's latest, on every node.
   */
  private Future<List<StoredEvent>> append(StreamAppend append) {
    return tx.lockForAppend()
        .compose(locked -> append.takesAnyVersion()
            ? streamVersion(append.streamId())
            : Future.succeededFuture(append.expectedVersion()))
        .compose(after -> {
          List<EventEnvelope> sequenced = append.numberedAfter(after);
          return tx.insertEvents(append.streamId(), after, sequenced).compose(positions -> {
            if (positions.size() < sequenced.size()) { // the stream is not at the version these events follow
              return streamVersion(append.streamId()).compose(current -> Future.failedFuture(append.refusedAt(current)));
            }
            List<StoredEvent> stored = new ArrayList<>(sequenced.size());
            for (int index = 0; index < sequenced.size(); index++) {
              stored.add(new StoredEvent(positions.get(index), sequenced.get(index)));
            }
            tx.appended(stored);
            return Future.succeededFuture(stored);
          });
        })
        .recover(failure -> PostgresFailures.isUniqueViolation(failure)
            ? Future.failedFuture(append.writtenConcurrently(failure.getMessage())) // the transaction is aborted: no version to read
            : Future.failedFuture(failure));
  }

  private Future<Long> streamVersion(String streamId) {
    return tx.execute(PostgresSql.SELECT_STREAM_VERSION, Tuple.of(streamId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Writes a document in one statement that checks its revision, so that two writers on different
   * connections cannot both pass the check; no row written means the revision was not the expected one.
   */
  private Future<Void> put(DocumentWrite document) {
    String body = document.body().encode();
    OffsetDateTime expiresAt = document.expiresAt() == null ? null : document.expiresAt().atOffset(ZoneOffset.UTC);
    Future<RowSet<Row>> written;
    if (document.expectedRevision() == ExpectedVersion.ANY) {
      written = tx.execute(PostgresSql.UPSERT_DOCUMENT,
          Tuple.of(document.collection(), document.id(), body, expiresAt));
    } else if (document.expectedRevision() == ExpectedVersion.NONE) {
      written = tx.execute(PostgresSql.INSERT_DOCUMENT,
          Tuple.of(document.collection(), document.id(), body, expiresAt));
    } else {
      written = tx.execute(PostgresSql.UPDATE_DOCUMENT,
          Tuple.of(document.collection(), document.id(), document.expectedRevision(), body, expiresAt));
    }
    return written.compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture() : conflict(document));
  }

  /** Fails with the document's refusal, naming its revision now. */
  private Future<Void> conflict(DocumentWrite document) {
    return tx.execute(PostgresSql.SELECT_DOCUMENT_REVISION, Tuple.of(document.collection(), document.id()))
        .compose(current -> Future.failedFuture(
            document.refusedAt(current.size() == 0 ? 0 : current.iterator().next().getLong(0))));
  }
}
