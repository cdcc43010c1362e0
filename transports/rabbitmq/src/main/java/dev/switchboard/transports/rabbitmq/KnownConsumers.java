package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every consumer whose queue the publishing side declares: the consumers of the published catalog
 * ({@link Subscriptions#ALL}), and whoever subscribed through this transport.
 *
 * <p>The broker drops a message that no queue is bound for, and it still confirms it: an event
 * published before its consumer first subscribed (on a fresh broker, say, where another node relays
 * first) would be lost to that consumer. Declaring the queues before publishing keeps such events
 * waiting in them. The same declarations also restore the bindings should the exchange be deleted.
 */
final class KnownConsumers {

  private final Map<String, Set<String>> typesByConsumer = new ConcurrentHashMap<>();

  static KnownConsumers ofCatalog() {
    KnownConsumers known = new KnownConsumers();
    Subscriptions.ALL.forEach(subscription -> known.add(subscription.consumer(),
        subscription.types().stream().map(EventType::name).toList()));
    return known;
  }

  void add(String consumer, Iterable<String> types) {
    typesByConsumer.compute(consumer, (name, known) -> {
      Set<String> merged = known == null ? new TreeSet<>() : new TreeSet<>(known);
      types.forEach(merged::add);
      return Set.copyOf(merged);
    });
  }

  /** A snapshot: consumer to its types. */
  Map<String, Set<String>> all() {
    return Map.copyOf(typesByConsumer);
  }
}
