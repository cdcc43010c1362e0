package dev.switchboard.bench.broker;

import dev.switchboard.transports.kafka.testing.KafkaBroker;
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import dev.switchboard.transports.sqs.testing.ElasticMq;

import java.util.ArrayList;
import java.util.List;

/**
 * The real brokers a bench run uses, the same the integration tests use: one Kafka broker (KRaft,
 * its own process) started on first use and shared by the run's Kafka scenarios, and a fresh
 * virtual host on the local RabbitMQ for each use, so that nothing one scenario leaves in a queue
 * weighs on the next, and likewise a fresh ElasticMQ (an SQS server in this JVM) for each use.
 * {@link #close()} stops the one and deletes or stops the others; it may be called again (from a
 * shutdown hook) and does nothing then.
 */
public final class Brokers implements AutoCloseable {

  private KafkaBroker kafka;
  private final List<RabbitMqBroker> virtualHosts = new ArrayList<>();
  private final List<ElasticMq> sqsServers = new ArrayList<>();

  /** The shared Kafka broker's bootstrap servers, started now if this is the first use. */
  public synchronized String kafka() {
    if (kafka == null) {
      kafka = new KafkaBroker().start();
    }
    return kafka.bootstrapServers();
  }

  /** The URI of a fresh RabbitMQ virtual host. */
  public synchronized String rabbitMq() {
    RabbitMqBroker broker = RabbitMqBroker.create();
    virtualHosts.add(broker);
    return broker.uri();
  }

  /** A fresh ElasticMQ server, with no queues. */
  public synchronized ElasticMq sqs() {
    ElasticMq server = ElasticMq.start();
    sqsServers.add(server);
    return server;
  }

  @Override
  public synchronized void close() {
    try {
      if (kafka != null) {
        kafka.close();
        kafka = null;
      }
    } finally {
      // each its own attempt: one virtual host that cannot be deleted must not keep the others
      for (RabbitMqBroker virtualHost : virtualHosts) {
        try {
          virtualHost.close();
        } catch (RuntimeException e) {
          System.err.println("could not delete RabbitMQ virtual host " + virtualHost.vhost() + ": " + e);
        }
      }
      virtualHosts.clear();
      for (ElasticMq server : sqsServers) {
        try {
          server.close();
        } catch (RuntimeException e) {
          System.err.println("could not stop ElasticMQ on " + server.endpoint() + ": " + e);
        }
      }
      sqsServers.clear();
    }
  }
}
