package dev.switchboard.runtime.consumer;

import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

/**
 * Decides what one event leads to. It may read (streams, documents) but writes nothing itself: it
 * returns the {@link UnitOfWork}, which the runtime commits together with the consumer's progress.
 */
@FunctionalInterface
public interface EventHandler<T extends Record> {

  Future<UnitOfWork> handle(Received<T> event);
}
