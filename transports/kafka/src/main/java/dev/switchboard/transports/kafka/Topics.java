package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names this transport uses on the broker, part of the contract with foreign clients
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

  /**
   * The topic an event is published to: its type's module. An event of a type the catalog does not
   * know (the store does not take such events; this is a safety net) goes by its {@code source},
   * so that one odd event can never hold up the outbox.
   */
  static String ofEvent(EventEnvelope event) {
    return ofType(event.type()).orElseGet(() -> ofModule(event.source().replaceAll("^/+", "")
        .replaceAll("[^A-Za-z0-9._-]", "_")));
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
