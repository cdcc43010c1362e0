package dev.switchboard.runtime.transport.wire;

import dev.switchboard.runtime.transport.delivery.Incoming;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A wire that counts the dead letters the broker took, and is otherwise the wire it wraps. */
final class RecordingWire implements Wire {

  private final Wire wire;
  private final Map<String, AtomicInteger> deadLettersTaken = new ConcurrentHashMap<>();

  RecordingWire(Wire wire) {
    this.wire = wire;
  }

  int deadLettersSentFor(String consumer) {
    AtomicInteger taken = deadLettersTaken.get(consumer);
    return taken == null ? 0 : taken.get();
  }

  @Override
  public String name() {
    return wire.name();
  }

  @Override
  public Future<Void> send(List<Outgoing> messages) {
    return wire.send(messages).onSuccess(v -> messages.forEach(message -> {
      if (message.route() instanceof Route.DeadLetters letters) {
        deadLettersTaken.computeIfAbsent(letters.consumer(), consumer -> new AtomicInteger()).incrementAndGet();
      }
    }));
  }

  @Override
  public Future<Source> open(String consumer, Set<String> types, Handler<Arrival> arrivals) {
    return wire.open(consumer, types, arrivals);
  }

  @Override
  public DeliverySettings delivery() {
    return wire.delivery();
  }

  @Override
  public Incoming.Wording wording() {
    return wire.wording();
  }

  @Override
  public Future<Void> ping() {
    return wire.ping();
  }

  @Override
  public Future<Map<String, Long>> lag(Map<String, Set<String>> consumers) {
    return wire.lag(consumers);
  }

  @Override
  public Future<Void> close() {
    return wire.close();
  }
}
