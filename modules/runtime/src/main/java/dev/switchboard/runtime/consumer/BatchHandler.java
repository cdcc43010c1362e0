package dev.switchboard.runtime.consumer;

import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

import java.util.List;

/**
 * Decides what several events lead to, together: it reads the state they need at once, decides
 * each in turn on the state the ones before it leave (in memory), and returns one
 * {@link UnitOfWork} with every effect. The runtime commits it with the consumer's progress over
 * the events in one transaction, so the batch takes effect whole or not at all.
 *
 * <p>It is also called with a single event: when a batch could not be committed, the runtime
 * decides its events again one by one (with the usual retries and dead letters), so that one bad
 * event never holds up the others. The events of a batch have distinct subjects.
 */
@FunctionalInterface
public interface BatchHandler {

  Future<UnitOfWork> handle(List<Received<? extends Record>> events);
}
