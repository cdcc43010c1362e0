package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The source of truth: an append-only log of events in streams (which is also the outbox: the
 * relay publishes it from its checkpoint), each consumer's inbox and checkpoint, read-model
 * documents and dead letters.
 *
 * <p>Every method is asynchronous and never blocks the calling event loop.
 */
public interface EventStore {

  /**
   * Appends events and writes documents, all or nothing.
   *
   * @return the stored events with their positions and sequences; fails with
   *     {@link ConcurrencyConflict} when a stream or document is not at its expected version, and
   *     with {@code InvalidEventData} when an event breaks its schema
   */
  Future<List<StoredEvent>> commit(UnitOfWork work);

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
   *     {@link #commit} does
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

  Future<List<StoredEvent>> readStream(String streamId);

  /** Events after a position, in log order, of the given types (all types if empty). */
  Future<List<StoredEvent>> readAll(long afterPosition, Set<String> types, int limit);

  /** How many events of the given types (all if empty) lie after a position: a consumer's lag. */
  Future<Long> countAfter(long afterPosition, Set<String> types);

  /** Every event about one subject (e.g. an order), from every module, in log order. */
  Future<List<StoredEvent>> readSubject(String subject);

  Future<Optional<Document>> document(String collection, String id);

  Future<List<DeadLetter>> deadLetters(int limit);

  Future<Optional<DeadLetter>> findDeadLetter(String id);

  /**
   * Discards a dead letter: the event stays handled (in the inbox) and is not delivered again.
   * To have it handled instead, replay it ({@link #commitReplayed}).
   *
   * @return false if there was no such letter
   */
  Future<Boolean> discardDeadLetter(String id);

  /** Runs {@code listener} (on the registering context) after each commit that appended events. */
  default Registration onAppended(Runnable listener) {
    return onAppended(Set.of(), listener);
  }

  /**
   * Runs {@code listener} (on the registering context) after each commit that appended events of
   * one of {@code types} (any, if empty); after a commit whose types the store cannot tell (one
   * of another node, say), too.
   */
  Registration onAppended(Set<String> types, Runnable listener);

  /**
   * Hands every batch of events this store appended to {@code observer}, on the thread that
   * committed them: it must be quick and thread-safe (a metrics counter, say).
   */
  void observeAppends(Consumer<List<StoredEvent>> observer);

  /** Roles one node at a time plays among the nodes sharing this store. */
  Leases leases();

  /** The projections' read-model tables, kept in the same database. */
  ReadModelStore readModels();

  /** A cheap round trip, for readiness checks. */
  Future<Void> ping();

  /** Finishes queued writes, then closes. Calls after this fail with {@link StoreUnavailable}. */
  Future<Void> close();
}
