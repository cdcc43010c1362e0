package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.transport.wire.Route;

import java.util.Set;

/**
 * The names this wire uses on the broker, part of the contract with foreign clients
 * (DESIGN §5): one topic for every event, {@code switchboard.events}, keyed by the order id, so that
 * every event of an order lands on one partition in the order it was published and every consumer
 * reads an order's events in that order; one consumer group per consumer,
 * {@code switchboard.<consumer>}; one dead-letter topic per consumer, {@code switchboard.<consumer>.dlq}.
 */
final class Topics {

  static final String PREFIX = "switchboard.";
  /** Every event of every module. */
  static final String EVENTS = PREFIX + "events";

  private Topics() {
  }

  /** The topic a message goes to: the events' topic, or its consumer's dead-letter topic. */
  static String of(Route route) {
    if (route instanceof Route.Event) {
      return EVENTS;
    }
    if (route instanceof Route.DeadLetters letters) {
      return deadLettersOf(letters.consumer());
    }
    throw new IllegalArgumentException("no Kafka topic for the route " + route);
  }

  /** The topics a consumer of these types reads: the events' topic, if any of them is in the catalog. */
  static Set<String> forTypes(Set<String> types) {
    return types.stream().anyMatch(type -> EventCatalog.byName(type).isPresent()) ? Set.of(EVENTS) : Set.of();
  }

  static String groupOf(String consumer) {
    return PREFIX + consumer;
  }

  static String deadLettersOf(String consumer) {
    return PREFIX + consumer + ".dlq";
  }
}
