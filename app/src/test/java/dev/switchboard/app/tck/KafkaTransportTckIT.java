package dev.switchboard.app.tck;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.transports.kafka.testing.KafkaBroker;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The transport test kit on Kafka: a real broker (KRaft, its own process), topics
 * {@code switchboard.<module>}, a consumer group per consumer. A foreign producer is a plain
 * KafkaProducer; "delivered" means every group has committed up to the end of its partitions;
 * restarting the transport kills the broker and starts it again on the same data.
 */
class KafkaTransportTckIT extends TransportTck {

  private static KafkaBroker broker;

  @BeforeAll
  static void startTheBroker() {
    broker = new KafkaBroker().start();
  }

  @AfterAll
  static void stopTheBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  protected TransportUnderTest transport() {
    return new TransportUnderTest() {
      @Override
      public JsonObject overrides() {
        return new JsonObject().put("transport", new JsonObject().put("type", "kafka")
            .put("kafka", new JsonObject().put("bootstrapServers", broker.bootstrapServers())
                .put("partitions", 3).put("commitIntervalMillis", 100)));
      }

      @Override
      public void publishForeign(TestNode node, EventEnvelope event) {
        publishOnTopicOf(EventCatalog.byName(event.type()).orElseThrow().module(), event);
      }

      @Override
      public void awaitDelivered(TestNode node) {
        TestNode.poll("every consumer group to have committed to the end of its partitions",
            KafkaTransportTckIT::lagOfAllGroups, lag -> lag == 0);
      }

      @Override
      public TestNode restart(TestNode node) {
        broker.restart();
        return node;
      }
    };
  }

  /** The records not yet committed, summed over every group and partition. */
  private static long lagOfAllGroups() {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (Admin admin = Admin.create(config)) {
      Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS);
      long lag = 0;
      for (ConsumerGroupListing group : groups) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream()
            .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
            .forEach((partition, info) -> ends.put(partition, info.offset()));
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
          lag += ends.getOrDefault(entry.getKey(), 0L) - (entry.getValue() == null ? 0 : entry.getValue().offset());
        }
      }
      return lag;
    } catch (Exception e) {
      throw new AssertionError("the consumer groups could not be read", e);
    }
  }

  @Test
  void a_forged_payment_is_refused_and_the_order_stays_pending() {
    assertForgedPaymentsAreRefused(this::publishOnTopicOf);
  }

  /** Writes the event to a module's topic, as a foreign producer with the right to write there. */
  private void publishOnTopicOf(String module, EventEnvelope event) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("switchboard." + module, event.subject(), event.toJson().encode()))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the foreign producer could not publish " + event.type(), e);
    }
  }
}
