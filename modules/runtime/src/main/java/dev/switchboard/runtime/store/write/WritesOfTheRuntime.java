package dev.switchboard.runtime.store.write;

import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/**
 * An event store whose every write is the runtime's ({@link StoreWrites}, with the store's writer
 * and statements): a store plugin brings {@link #writes()} and its reads, and the writes of
 * {@link EventStore} are handed over here, once for every store.
 */
public interface WritesOfTheRuntime extends EventStore {

  /** The runtime's writes, on this store's writer with its statements. */
  StoreWrites writes();

  @Override
  default Future<List<StoredEvent>> commit(UnitOfWork work) {
    return writes().commit(work);
  }

  @Override
  default Future<ConsumeOutcome> commitConsumed(String consumer, StoredEvent cause, UnitOfWork work) {
    return writes().commitConsumed(consumer, cause, work);
  }

  @Override
  default Future<Void> commitConsumedTogether(String consumer, List<StoredEvent> causes, UnitOfWork work) {
    return writes().commitConsumedTogether(consumer, causes, work);
  }

  @Override
  default Future<Void> deadLetter(DeadLetter letter) {
    return writes().deadLetter(letter);
  }

  @Override
  default Future<Void> saveCheckpoint(String consumer, long position) {
    return writes().saveCheckpoint(consumer, position);
  }

  @Override
  default Future<Void> commitReplayed(String consumer, String deadLetterId, StoredEvent cause, UnitOfWork work) {
    return writes().commitReplayed(consumer, deadLetterId, cause, work);
  }

  @Override
  default Future<Integer> forgetInboxEntriesBefore(Instant before, int limit) {
    return writes().forgetInboxEntriesBefore(before, limit);
  }

  @Override
  default Future<Integer> forgetExpiredDocuments(Instant now, int limit) {
    return writes().forgetExpiredDocuments(now, limit);
  }

  @Override
  default Future<Boolean> discardDeadLetter(String id) {
    return writes().discardDeadLetter(id);
  }
}
