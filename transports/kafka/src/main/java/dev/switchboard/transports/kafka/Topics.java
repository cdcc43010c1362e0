package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import dev.switchboard.runtime.transport.wire.Route;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names this wire uses on the broker, part of the contract with foreign clients
 * (DESIGN §5): one topic per producing module, {@code switchboard.<module>}; one consumer group
 * per consumer, {@code switchboard.<consumer>}; one dead-letter topic per consumer,
 * {@code switchboard.<consumer>.dlq}.
 */
final class Topics {

  static final String PREFIX = "switchboard.";

  private Topics() {
  }

  /** The topic events of a module go to, e.g. {@code switchboard.orders}. */
  static String ofModule(String module) {
    return PREFIX + module;
  }

  /** The module whose events a topic carries, e.g. {@code orders} for {@code switchboard.orders}. */
  static String moduleOf(String topic) {
    return topic.startsWith(PREFIX) ? topic.substring(PREFIX.length()) : topic;
  }

  /** The topic of an event type's producing module, if the type is in the catalog. */
  static Optional<String> ofType(String type) {
    return EventCatalog.byName(type).map(EventType::module).map(Topics::ofModule);
  }

  /** The topic a message goes to: its event's module's, or its consumer's dead-letter topic. */
  static String of(Route route) {
    if (route instanceof Route.Event event) {
      return ofModule(event.module());
    }
    if (route instanceof Route.DeadLetters letters) {
      return deadLettersOf(letters.consumer());
    }
    throw new IllegalArgumentException("no Kafka topic for the route " + route);
  }

  /** The topics a consumer of these types reads: those of the modules producing them. */
  static Set<String> forTypes(Set<String> types) {
    Set<String> topics = new TreeSet<>();
    types.forEach(type -> ofType(type).ifPresent(topics::add));
    return topics;
  }

  static String groupOf(String consumer) {
    return PREFIX + consumer;
  }

  static String deadLettersOf(String consumer) {
    return PREFIX + consumer + ".dlq";
  }
}
