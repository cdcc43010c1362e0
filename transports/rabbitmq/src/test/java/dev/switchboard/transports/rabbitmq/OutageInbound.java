package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer's inbound (the real runner) with a switch that makes the store look down: while it is
 * on, every hand-over fails as the runner's does when nothing could be recorded. Counts the
 * hand-overs per event id.
 */
final class OutageInbound implements Inbound {

  private final Inbound runner;
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private volatile boolean storeDown;

  OutageInbound(Inbound runner) {
    this.runner = runner;
  }

  void storeDown(boolean down) {
    this.storeDown = down;
  }

  int attemptsOf(String eventId) {
    AtomicInteger count = attempts.get(eventId);
    return count == null ? 0 : count.get();
  }

  @Override
  public Future<Delivery> deliver(StoredEvent event) {
    attempts.computeIfAbsent(event.id(), id -> new AtomicInteger()).incrementAndGet();
    if (storeDown) {
      return Future.failedFuture(new StoreUnavailable("the store is down (switched off by the test)", null));
    }
    return runner.deliver(event);
  }

  @Override
  public Future<Delivery> unreadable(String payload, String reason) {
    if (storeDown) {
      return Future.failedFuture(new StoreUnavailable("the store is down (switched off by the test)", null));
    }
    return runner.unreadable(payload, reason);
  }
}
