package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.transport.wire.Route;

import java.util.Collection;
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

  /**
   * {@code orders.OrderPlaced}: the producing module of the type, and the type. A dot in a module made
   * of an unknown event's source would read as the end of the module: it becomes {@code _}.
   */
  static String routingKey(Route.Event event) {
    return event.module().replace('.', '_') + "." + event.type();
  }

  /** The module whose channel a routing key is: {@code orders} for {@code orders.OrderPlaced}. */
  static String moduleOf(String routingKey) {
    int dot = routingKey == null ? -1 : routingKey.indexOf('.');
    return dot < 0 ? String.valueOf(routingKey) : routingKey.substring(0, dot);
  }

  /** The type a routing key names: {@code OrderPlaced} for {@code orders.OrderPlaced}; null if it names none. */
  static String typeOf(String routingKey) {
    int dot = routingKey == null ? -1 : routingKey.indexOf('.');
    return dot < 0 || dot == routingKey.length() - 1 ? null : routingKey.substring(dot + 1);
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
}
