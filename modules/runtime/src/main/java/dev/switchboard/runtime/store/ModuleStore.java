package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.util.List;

/**
 * The store as a business module sees it: reads, and the commit of a {@link UnitOfWork} it decided
 * on its own (a command from the edge, a price published). The work a consumer decides is returned
 * to the runtime, which commits it with the consumer's checkpoint and inbox.
 */
public interface ModuleStore extends StoreReads {

  /**
   * Appends events and writes documents, all or nothing.
   *
   * @return the stored events with their positions and sequences; fails with
   *     {@link ConcurrencyConflict} when a stream or document is not at its expected version, and
   *     with {@code InvalidEventData} when an event breaks its schema
   */
  Future<List<StoredEvent>> commit(UnitOfWork work);
}
