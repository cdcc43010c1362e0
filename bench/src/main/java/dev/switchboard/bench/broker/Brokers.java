package dev.switchboard.bench.broker;

import dev.switchboard.transports.kafka.testing.KafkaBroker;
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;

import java.util.ArrayList;
import java.util.List;

/**
 * The real brokers a bench run uses, the same the integration tests use: one Kafka broker (KRaft,
 * its own process) started on first use and shared by the run's Kafka scenarios, and a fresh
 * virtual host on the local RabbitMQ for each use, so that nothing one scenario leaves in a queue
 * weighs on the next. {@link #close()} stops the one and deletes the others.
 */
public final class Brokers implements AutoCloseable {

  private KafkaBroker kafka;
  private final List<RabbitMqBroker> virtualHosts = new ArrayList<>();

  /** The shared Kafka broker's bootstrap servers, started now if this is the first use. */
  public String kafka() {
    if (kafka == null) {
      kafka = new KafkaBroker().start();
    }
    return kafka.bootstrapServers();
  }

  /** The URI of a fresh RabbitMQ virtual host. */
  public String rabbitMq() {
    RabbitMqBroker broker = RabbitMqBroker.create();
    virtualHosts.add(broker);
    return broker.uri();
  }

  @Override
  public void close() {
    virtualHosts.forEach(RabbitMqBroker::close);
    virtualHosts.clear();
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }
}
