package dev.switchboard.runtime.store.write;

import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.runtime.store.AppendListeners;
import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.ConsumerMarks;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DeadLetterGone;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every write of the event store, once for all stores: what each write sends, in which order, and
 * what the answers mean (the rules of {@link ConsumerMarks}, a replay's, a dead letter's). A store
 * brings its writer (group commit into one transaction, each write rolled back alone if it fails)
 * and its {@link WriteStatements}.
 *
 * <p>The events a write appended reach the store's append listeners once it committed.
 */
public final class StoreWrites {

  /** A store's writer. */
  public interface Writer {
    /**
     * Runs {@code writes}, with the store's statements, as one write of its writer's transaction, and
     * reports it once the transaction committed (or it was rolled back alone).
     *
     * @param work the unit of work the write applies, or null: a store may prepare it on the caller's
     *             thread before the write reaches its writer (number and encode its events, say)
     */
    <T> Future<T> write(UnitOfWork work, Function<WriteStatements, Future<T>> writes);
  }

  /** What a consumer's commit did, and the events it appended. */
  private record Consumed(ConsumeOutcome outcome, List<StoredEvent> appended) {
  }

  private final EventSchemas schemas;
  private final Writer writer;
  private final AppendListeners listeners;

  public StoreWrites(EventSchemas schemas, Writer writer, AppendListeners listeners) {
    this.schemas = schemas;
    this.writer = writer;
    this.listeners = listeners;
  }

  /** See {@link dev.switchboard.runtime.store.ModuleStore#commit}. */
  public Future<List<StoredEvent>> commit(UnitOfWork work) {
    return writtenIfValid(work, statements -> statements.apply(work)).onSuccess(listeners::afterCommit);
  }

  /** See {@link dev.switchboard.runtime.store.ConsumerStore#commitConsumed}. */
  public Future<ConsumeOutcome> commitConsumed(String consumer, StoredEvent cause, UnitOfWork work) {
    return writtenIfValid(work, statements -> {
      Future<WriteStatements.Marks> marked = statements.mark(consumer, List.of(cause));
      // sent along before the answer: a duplicate's writes are undone
      Future<List<StoredEvent>> applied = statements.apply(work);
      return marked.compose(marks -> switch (ConsumerMarks.judge(cause, marks.entered(cause), marks.advanced(cause))) {
        case FRESH -> applied.map(appended -> new Consumed(ConsumeOutcome.APPLIED, appended));
        case DUPLICATE -> statements.undo(new Consumed(ConsumeOutcome.DUPLICATE, List.of()));
        case STALE -> stale(statements, consumer, cause);
      });
    }).map(consumed -> {
      listeners.afterCommit(consumed.appended());
      return consumed.outcome();
    });
  }

  /** See {@link dev.switchboard.runtime.store.ConsumerStore#commitConsumedTogether}. */
  public Future<Void> commitConsumedTogether(String consumer, List<StoredEvent> causes, UnitOfWork work) {
    return writtenIfValid(work, statements -> {
      Future<WriteStatements.Marks> marked = statements.mark(consumer, causes);
      Future<List<StoredEvent>> applied = statements.apply(work);
      // an event handled before fails the write (judgeTogether throws), which the writer rolls back alone
      return marked.compose(marks -> {
        Optional<StoredEvent> stale = ConsumerMarks.judgeTogether(consumer, causes, marks::entered, marks::advanced);
        return stale.isPresent() ? stale(statements, consumer, stale.get()) : applied;
      });
    }).onSuccess(listeners::afterCommit).mapEmpty();
  }

  /** See {@link dev.switchboard.runtime.store.ConsumerStore#deadLetter}. */
  public Future<Void> deadLetter(DeadLetter letter) {
    return writer.write(null, statements -> {
      // its event is marked handled: by its place in its stream if it is of the log (the one mark such
      // an event has, see ConsumerMarks), else by its id in the inbox
      Future<Boolean> marked = letter.ofTheLog()
          .map(event -> statements.advanceInStream(letter.consumer(), event.streamId(), event.envelope().sequence()))
          .orElseGet(() -> statements.enterInInbox(letter.consumer(), letter.eventId()));
      Future<Void> reached = letter.position() > 0
          ? statements.raiseReach(letter.consumer(), letter.position()) : Future.succeededFuture();
      Future<Void> kept = statements.keepDeadLetter(letter);
      return marked.compose(done -> reached).compose(done -> kept);
    });
  }

  /** See {@link dev.switchboard.runtime.store.ConsumerStore#saveCheckpoint}. */
  public Future<Void> saveCheckpoint(String consumer, long position) {
    if (position <= 0) {
      return Future.succeededFuture(); // no event of the log: nothing to move to
    }
    return writer.write(null, statements -> statements.raiseCheckpoint(consumer, position));
  }

  /** See {@link dev.switchboard.runtime.store.ConsumerStore#commitReplayed}. */
  public Future<Void> commitReplayed(String consumer, String deadLetterId, StoredEvent cause, UnitOfWork work) {
    return writtenIfValid(work, statements -> {
      Future<Boolean> deleted = statements.deleteDeadLetter(deadLetterId);
      Future<Boolean> advanced = ConsumerMarks.movesItsStream(cause)
          ? statements.replayInStream(consumer, cause) : Future.succeededFuture(false);
      Future<List<StoredEvent>> applied = statements.apply(work);
      return deleted
          .compose(found -> found ? advanced : Future.failedFuture(new DeadLetterGone(deadLetterId)))
          .compose(moved -> ConsumerMarks.judgeReplay(cause, moved) == ConsumerMarks.Verdict.STALE
              ? stale(statements, consumer, cause) : applied);
    }).onSuccess(listeners::afterCommit).mapEmpty();
  }

  /** See {@link dev.switchboard.runtime.store.ConsumerStore#forgetInboxEntriesBefore}. */
  public Future<Integer> forgetInboxEntriesBefore(Instant before, int limit) {
    requireChunk(limit);
    return writer.write(null, statements -> statements.forgetInboxEntries(before, limit));
  }

  /** See {@link dev.switchboard.runtime.store.EventStore#forgetExpiredDocuments}. */
  public Future<Integer> forgetExpiredDocuments(Instant now, int limit) {
    requireChunk(limit);
    return writer.write(null, statements -> statements.forgetExpiredDocuments(now, limit));
  }

  /** A pruning's chunk forgets something: a limit below one would be a loop that never ends. */
  private static void requireChunk(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
  }

  /** See {@link dev.switchboard.runtime.store.DeadLetters#discardDeadLetter}. */
  public Future<Boolean> discardDeadLetter(String id) {
    return writer.write(null, statements -> statements.deleteDeadLetter(id));
  }

  private <T> Future<T> writtenIfValid(UnitOfWork work, Function<WriteStatements, Future<T>> writes) {
    return work.writtenIfValid(schemas, () -> writer.write(work, writes));
  }

  /** Fails with a {@link dev.switchboard.runtime.store.StaleEvent} saying how far the consumer applied the event's stream. */
  private static <T> Future<T> stale(WriteStatements statements, String consumer, StoredEvent event) {
    return statements.placeInStream(consumer, event.streamId())
        .compose(applied -> Future.failedFuture(ConsumerMarks.stale(consumer, event, applied)));
  }
}
