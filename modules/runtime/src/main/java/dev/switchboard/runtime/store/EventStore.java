package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.time.Instant;

/**
 * The source of truth: an append-only log of events in streams (which is also the outbox: the
 * relay publishes it from its checkpoint), each consumer's inbox and checkpoint, read-model
 * documents and dead letters. A store plugin implements the whole; each user of it is given the
 * port it needs: a business module {@link ModuleStore} (reads and commits of its own decisions),
 * the consumers {@link ConsumerStore}, the log's readers {@link EventLog}, the operator's
 * {@code /dead-letters} {@link DeadLetters}.
 *
 * <p>Every method is asynchronous and never blocks the calling event loop.
 */
public interface EventStore extends ModuleStore, ConsumerStore, EventLog, DeadLetters {

  /** Roles one node at a time plays among the nodes sharing this store. */
  Leases leases();

  /** The projections' read-model tables, kept in the same database. */
  @Override
  ReadModelStore readModels();

  /**
   * Forgets documents whose expiry ({@link DocumentWrite#expiresAt}) is at or before {@code now}, the
   * earliest expired first and at most {@code limit} of them, in one transaction.
   *
   * @return how many were forgotten
   */
  Future<Integer> forgetExpiredDocuments(Instant now, int limit);

  /** A cheap round trip, for readiness checks. */
  Future<Void> ping();

  /** Finishes queued writes, then closes. Calls after this fail with {@link StoreUnavailable}. */
  Future<Void> close();
}
