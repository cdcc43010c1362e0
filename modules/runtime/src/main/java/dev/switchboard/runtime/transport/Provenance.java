package dev.switchboard.runtime.transport;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;

import java.util.Optional;

/**
 * Whether an event from a broker can have come from where it says. Every type has one producing
 * module; its events must say so in their {@code source} and, where the wire has a channel per module
 * (RabbitMQ's routing keys), arrive on that module's channel, the channel only that module may write
 * to (README, broker permissions). On Kafka every event shares one topic, so that an order's events
 * keep their order: only the source is checked there. A well-formed {@code PaymentAuthorized} written by anyone else is refused,
 * not believed: it is dead-lettered with the reason, and the order it names does not move.
 */
public final class Provenance {

  private Provenance() {
  }

  /**
   * @param channelModule the module whose channel the event came on; null where the transport has
   *                      no channel per module (only the source is checked then)
   * @return why the event is refused, or empty if it may be what it says; an event of a type the
   *     catalog does not know is left to the consumer, which dead-letters it as such
   */
  public static Optional<String> refusal(EventEnvelope event, String channelModule) {
    Optional<EventType<?>> type = EventCatalog.byName(event.type());
    if (type.isEmpty()) {
      return Optional.empty();
    }
    String producer = type.get().module();
    if (!type.get().source().equals(event.source())) {
      return Optional.of(event.type() + " is produced by " + producer + " (source " + type.get().source()
          + "), but this one says its source is " + event.source());
    }
    if (channelModule != null && !channelModule.equals(producer)) {
      return Optional.of(event.type() + " is produced by " + producer + ", but this one came on the channel of "
          + channelModule);
    }
    return Optional.empty();
  }
}
