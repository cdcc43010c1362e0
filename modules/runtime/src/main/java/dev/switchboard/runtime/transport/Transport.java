package dev.switchboard.runtime.transport;

import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How events travel between modules: the one seam behind which the local event bus, Kafka and
 * RabbitMQ sit. Module code never sees which one is configured.
 *
 * <p>Delivery is at-least-once: the {@link Inbound}'s future completing successfully is the
 * acknowledgement; until then (or after a crash) the transport may deliver the event again.
 * Events of one subject are delivered to a consumer in the order they were published, one at a
 * time: the next event of a subject waits until the previous one is acknowledged.
 */
public interface Transport {

  /** The name of this transport in configuration ({@code transport.type}). */
  String name();

  /**
   * Publishes stored events. Succeeds only once the transport has taken them durably; the outbox
   * relay publishes them again until then. Never called on a transport whose consumers read the log.
   */
  Future<Void> publish(List<StoredEvent> events);

  /**
   * Whether consumers read the log themselves (the local transport), so that an event is delivered
   * the moment it is committed and nothing needs publishing.
   */
  default boolean consumersReadTheLog() {
    return false;
  }

  /**
   * Subscribes a named consumer (a consumer group: one delivery per group, however many instances)
   * to events of the given types. Messages of other types the consumer does not see; messages that
   * are not CloudEvents, or of types no one knows, go to {@code inbound} to be dead-lettered.
   */
  Future<Subscription> subscribe(String consumer, Set<String> types, Inbound inbound);

  /** Whether the transport can currently deliver, for readiness checks. */
  Future<Void> ping();

  /**
   * How many messages each consumer subscribed here has yet to take off the broker, by consumer
   * name: a Kafka consumer group's lag, the messages ready in a RabbitMQ consumer's queue. Empty on
   * a transport whose consumers read the log, whose lag the store tells. Fails if the broker does
   * not answer in time.
   */
  default Future<Map<String, Long>> consumerLag() {
    return Future.succeededFuture(Map.of());
  }

  Future<Void> close();
}
