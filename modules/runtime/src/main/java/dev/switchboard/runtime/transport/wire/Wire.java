package dev.switchboard.runtime.transport.wire;

import dev.switchboard.runtime.transport.delivery.Incoming;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A broker as the runtime needs it: something that carries bytes. It sends batches of messages and
 * opens, for a consumer, a source of messages that can each be acknowledged or released; everything
 * else a consumer needs (classifying what arrives, per-order lanes, acknowledging only after the
 * consumer committed, redelivery with backoff, copying dead letters, back-pressure) is the runtime's
 * {@link dev.switchboard.runtime.transport.delivery.WireTransport}, written once for every broker.
 *
 * <p>A wire names its channels itself (topics, exchanges and queues, FIFO queues) from the event
 * types and consumers it is given; it speaks no store type.
 */
public interface Wire {

  /** The value of {@code transport.type} that selects this wire. */
  String name();

  /**
   * Sends messages, each to where its {@link Route} leads on this broker. Succeeds only once the
   * broker has taken every one of them durably; fails, within a bound of the wire's own, otherwise
   * (the relay sends them again then). Messages with the same key keep their order.
   */
  Future<Void> send(List<Outgoing> messages);

  /**
   * Opens a consumer's source: the consumer group or queue of {@code consumer}, carrying at least the
   * messages of {@code types} (it may carry other types of the same channels: the runtime skips
   * them). Messages are handed to {@code arrivals} in the order the broker gives them, on any thread.
   * Creates what the broker needs for it (queues, bindings, topics) when missing. Fails, within the
   * wire's bound, when the broker does not answer; fails with an {@link IllegalArgumentException}
   * when the request itself cannot work (no channel carries any of the types).
   */
  Future<Source> open(String consumer, Set<String> types, Handler<Arrival> arrivals);

  /** How the runtime delivers this wire's messages: in-flight bound, redelivery backoff, drain on close. */
  DeliverySettings delivery();

  /** What the wire calls a message and its body, in the reasons an unreadable message is dead-lettered with. */
  Incoming.Wording wording();

  /** Succeeds if the broker answers within the wire's ping timeout, for readiness checks. */
  Future<Void> ping();

  /**
   * How many messages each of {@code consumers} has yet to take off the broker, by consumer name:
   * the consumers with a source open on this node, each with the types it reads (as it opened its
   * source). Fails if the broker does not answer in time.
   */
  Future<Map<String, Long>> lag(Map<String, Set<String>> consumers);

  /** Closes the wire's connections. Called after every source it opened is closed. Never fails. */
  Future<Void> close();
}
