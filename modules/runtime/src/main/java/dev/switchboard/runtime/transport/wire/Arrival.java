package dev.switchboard.runtime.transport.wire;

import io.vertx.core.Future;

/**
 * One message off a broker, as a {@link Source} hands it over: its bytes, where it came from, and
 * the two ways to settle it. The runtime settles each message once, acknowledging it only after its
 * consumer recorded it durably.
 */
public interface Arrival {

  /** The body as it came; null when it has none. */
  byte[] body();

  /**
   * The module whose channel it came on (its RabbitMQ routing key); null where the wire has no channel
   * per module (Kafka's one topic for every event), and only the event's source is checked then.
   */
  String channelModule();

  /**
   * The event type that the message's headers (or its routing key) name, read without its body:
   * Kafka's {@code ce_type} header, the type in RabbitMQ's routing key {@code <module>.<type>}; null
   * where they name none. A known type its consumer does not read is passed over by this alone.
   */
  String typeHeader();

  /** The message as the wire names it, for logs: topic, partition and offset; queue and delivery tag. */
  String where();

  /**
   * Whether the broker still holds the message for this consumer: false once it has taken it back
   * (a lost RabbitMQ link, a revoked Kafka partition, an SQS receipt that expired), when settling it
   * would mean nothing and it will be delivered again.
   */
  boolean held();

  /**
   * The consumer is done with it: the broker may forget it. Never fails: a lost acknowledgement only
   * means a duplicate. Settling a message that is no longer {@link #held()} does nothing.
   */
  Future<Void> acknowledge();

  /**
   * The consumer did not get to it (it is closing): the broker delivers it again, to this consumer
   * group, later. Never fails.
   */
  Future<Void> release();
}
