package dev.switchboard.app.catalog;

import dev.switchboard.contracts.EventType;

/**
 * Where each event travels on each broker (DESIGN.md section 5): the names a foreign client uses
 * to join, which the catalog and the AsyncAPI document publish.
 */
final class TransportNames {

  /**
   * One Kafka topic for every event of every module, keyed by the {@code subject} (the order id): every
   * event of an order lands on one partition, so each consumer reads them in the order they were
   * published (DESIGN.md section 1, ordering is per order).
   */
  static final String KAFKA_TOPIC = "switchboard.events";

  /** A Kafka record's key is the envelope's {@code subject}: one order's events keep their order. */
  static final String KAFKA_KEY = "subject";

  static final String RABBITMQ_EXCHANGE = "switchboard.events";

  private TransportNames() {
  }


  /** The routing key on the topic exchange: {@code orders.OrderPlaced}. */
  static String routingKey(EventType<?> type) {
    return type.module() + "." + type.name();
  }

  /** Each consumer is one consumer group (as transports/kafka names it): one delivery per group. */
  static String kafkaGroup(String consumer) {
    return "switchboard." + consumer;
  }

  /** Each consumer has its own durable queue, bound to the routing keys of the types it consumes. */
  static String rabbitmqQueue(String consumer) {
    return "switchboard." + consumer;
  }
}
