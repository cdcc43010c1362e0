package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the runtime's consumers write and read of their own progress: effects committed with the
 * inbox or the checkpoint, dead letters recorded and replayed. Only the runtime uses it.
 */
public interface ConsumerStore {

  /**
   * Commits a consumer's effect of an event together with the event id in its inbox and the stream
   * sequence it has reached: a crash at any instant leaves either all or none.
   *
   * @return {@link ConsumeOutcome#DUPLICATE}, writing nothing, if the inbox already has the event;
   *     fails with {@link StaleEvent} if a later event of the same stream was applied already
   */
  Future<ConsumeOutcome> commitConsumed(String consumer, StoredEvent cause, UnitOfWork work);

  /**
   * Commits a consumer's effect of several events decided together, with every one of their ids in
   * its inbox and the stream sequences reached, all or nothing: one transaction for a whole batch.
   *
   * @return fails, writing nothing, with {@link ConcurrencyConflict} if the inbox already has one
   *     of the events (the consumer decides them one at a time then, which sorts out which), with
   *     {@link StaleEvent} if a later event of one of their streams was applied already, and as
   *     {@link ModuleStore#commit} does
   */
  Future<Void> commitConsumedTogether(String consumer, List<StoredEvent> causes, UnitOfWork work);

  /**
   * Records a dead letter, and the event in the consumer's inbox so that it is not handled again.
   * A letter with the id of an existing one replaces it (a replay that failed again).
   */
  Future<Void> deadLetter(DeadLetter letter);

  /**
   * Commits the effect of a replayed dead letter and removes the letter, together: a crash leaves
   * either the letter (to replay again) or the effect, never neither.
   *
   * @return fails with {@link DeadLetterGone} if the letter was replayed or discarded meanwhile
   */
  Future<Void> commitReplayed(String consumer, String deadLetterId, StoredEvent cause, UnitOfWork work);

  /** The ids among these that the consumer's inbox holds: events it handled, or dead-lettered, before. */
  Future<Set<String>> handledAmong(String consumer, Collection<String> eventIds);

  default Future<Boolean> isHandled(String consumer, String eventId) {
    return handledAmong(consumer, List.of(eventId)).map(handled -> handled.contains(eventId));
  }

  /**
   * The position up to which a consumer reading the log has handled every event of its types, 0 if
   * none: where it resumes (events after it that it handled already are skipped by its inbox).
   */
  Future<Long> checkpoint(String consumer);

  /**
   * How far along the log the consumer's inbox reaches: the highest position among the events of
   * the log it handled or dead-lettered, on any node and in any of its lanes (0 if none). No event
   * after it is in the inbox, so a reader of the log asks the inbox about those up to it only.
   */
  Future<Long> handledUpTo(String consumer);

  /** Moves a consumer's checkpoint forward to {@code position}; never backward. */
  Future<Void> saveCheckpoint(String consumer, long position);
}
