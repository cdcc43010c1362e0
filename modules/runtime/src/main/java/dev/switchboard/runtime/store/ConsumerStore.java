package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the runtime's consumers write and read of their own progress: effects committed with that
 * progress, dead letters recorded and replayed. Only the runtime uses it.
 *
 * <p>A consumer's progress is committed in the same transaction as its effect, so that an event's
 * effect is written once however often the event is delivered. For an event read from the log
 * ({@link StoredEvent#handledIsKnownByItsStream}) the progress is the sequence the consumer reached
 * in the event's stream: no inbox entry is written, and the inbox does not grow on the log path. For
 * an event from a broker it is the event's id in the consumer's inbox (and its stream's sequence,
 * when it has one, so that an older event of the stream arriving late is refused).
 */
public interface ConsumerStore {

  /**
   * Commits a consumer's effect of an event together with the consumer's progress: a crash at any
   * instant leaves either all or none.
   *
   * @return {@link ConsumeOutcome#DUPLICATE}, writing nothing, if the consumer handled the event
   *     before (for an event of the log: it reached the event's sequence in its stream; else: its
   *     inbox has the event); fails with {@link StaleEvent} if an event from a broker is older than
   *     one of its stream that the consumer applied already
   */
  Future<ConsumeOutcome> commitConsumed(String consumer, StoredEvent cause, UnitOfWork work);

  /**
   * Commits a consumer's effect of several events decided together, with the consumer's progress
   * for every one of them, all or nothing: one transaction for a whole batch.
   *
   * @return fails, writing nothing, with {@link ConcurrencyConflict} if the consumer handled one of
   *     the events before (the consumer decides them one at a time then, which sorts out which),
   *     with {@link StaleEvent} if an event from a broker is older than one of its stream applied
   *     already, and as {@link ModuleStore#commit} does
   */
  Future<Void> commitConsumedTogether(String consumer, List<StoredEvent> causes, UnitOfWork work);

  /**
   * Records a dead letter, and the event as handled by the consumer (as a commit of its effect
   * would) so that it is not handled again. A letter with the id of an existing one replaces it (a
   * replay that failed again).
   */
  Future<Void> deadLetter(DeadLetter letter);

  /**
   * Commits the effect of a replayed dead letter and removes the letter, together: a crash leaves
   * either the letter (to replay again) or the effect, never neither.
   *
   * @return fails with {@link DeadLetterGone} if the letter was replayed or discarded meanwhile, with
   *     {@link StaleEvent} if the consumer applied a later event of the letter's stream since
   */
  Future<Void> commitReplayed(String consumer, String deadLetterId, StoredEvent cause, UnitOfWork work);

  /**
   * The ids of those among these events that the consumer handled, or dead-lettered, before: in
   * one read, as {@link #commitConsumed} would tell each (an event of the log is handled also if
   * its id is in the inbox, where releases before this one put it).
   */
  Future<Set<String>> handledAmong(String consumer, Collection<StoredEvent> events);

  default Future<Boolean> isHandled(String consumer, StoredEvent event) {
    return handledAmong(consumer, List.of(event)).map(handled -> handled.contains(event.id()));
  }

  /**
   * The position up to which a consumer reading the log has handled every event of its types, 0 if
   * none: where it resumes (events after it that it handled already are skipped, known by their
   * streams).
   */
  Future<Long> checkpoint(String consumer);

  /**
   * How far along the log the consumer's progress reaches: the highest position among the events of
   * the log it handled or dead-lettered, on any node and in any of its lanes (0 if none). No event
   * after it was handled, so a reader of the log asks {@link #handledAmong} about those up to it only.
   */
  Future<Long> handledUpTo(String consumer);

  /** Moves a consumer's checkpoint forward to {@code position}; never backward. */
  Future<Void> saveCheckpoint(String consumer, long position);

  /**
   * Forgets inbox entries made before {@code before}, of every consumer, the oldest first and at most
   * {@code limit} of them, in one transaction; not those of events still among the consumer's dead
   * letters, which mark the letter's event handled until it is replayed or discarded. An event from a
   * broker whose entry is forgotten and that arrives again is still never applied twice: its
   * stream's sequence refuses it as out of order ({@link StaleEvent}), so it is dead-lettered.
   *
   * @return how many entries were forgotten
   */
  Future<Integer> forgetInboxEntriesBefore(Instant before, int limit);
}
