package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;

import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The names foreign clients rely on (DESIGN §5): one durable topic exchange, routing keys
 * {@code <module>.<type>}, one durable queue per consumer and its dead-letter queue beside it.
 */
final class Names {

  /** The topic exchange every event is published to. */
  static final String EXCHANGE = "switchboard.events";
  static final String EXCHANGE_TYPE = "topic";
  /** The broker's default exchange: routes a message to the queue named by its routing key. */
  static final String DEFAULT_EXCHANGE = "";

  private Names() {
  }

  /** {@code orders.OrderPlaced}: the producing module of the type, and the type. */
  static String routingKey(EventEnvelope envelope) {
    return producerOf(envelope) + "." + envelope.type();
  }

  /** The module whose channel a routing key is: {@code orders} for {@code orders.OrderPlaced}. */
  static String moduleOf(String routingKey) {
    int dot = routingKey == null ? -1 : routingKey.indexOf('.');
    return dot < 0 ? String.valueOf(routingKey) : routingKey.substring(0, dot);
  }

  /** {@code switchboard.<consumer>}. */
  static String queueOf(String consumer) {
    return "switchboard." + consumer;
  }

  /** {@code switchboard.<consumer>.dlq}: copies of the consumer's dead letters. */
  static String deadLetterQueueOf(String consumer) {
    return queueOf(consumer) + ".dlq";
  }

  /**
   * {@code <module>.*} for each module that produces one of the types: by module rather than by type,
   * so that an event of a type the catalog does not know (yet) still reaches the queue and is
   * dead-lettered there, instead of being dropped by the broker as unroutable. Types the catalog does
   * not know have no module to bind.
   */
  static SortedSet<String> bindingKeys(Collection<String> types) {
    SortedSet<String> keys = new TreeSet<>();
    for (String type : types) {
      EventCatalog.byName(type).ifPresent(known -> keys.add(known.module() + ".*"));
    }
    return keys;
  }

  /**
   * The module of the catalog for a known type; for any other, the module its {@code source} names
   * ({@code /orders} → {@code orders}), so that such an event still travels where a consumer of its
   * module would dead-letter it.
   */
  private static String producerOf(EventEnvelope envelope) {
    Optional<String> module = EventCatalog.byName(envelope.type()).map(EventType::module);
    if (module.isPresent()) {
      return module.get();
    }
    String source = envelope.source();
    String last = source.substring(source.lastIndexOf('/') + 1);
    String word = last.replaceAll("[^A-Za-z0-9_-]", "");
    return word.isEmpty() ? "unknown" : word;
  }
}
