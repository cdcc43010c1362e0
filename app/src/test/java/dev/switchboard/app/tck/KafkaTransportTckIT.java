package dev.switchboard.app.tck;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.transports.kafka.testing.KafkaBroker;
import io.vertx.core.json.JsonArray;
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

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static dev.switchboard.app.TestNode.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport test kit on Kafka: a real broker (KRaft, its own process), one topic
 * {@code switchboard.events} for every event, a consumer group per consumer. A foreign producer is a plain
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
        publishOnTheEventsTopic(event);
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

  /**
   * Every module's events share one topic on Kafka (so that an order's events keep their order), and a
   * topic cannot say which module wrote a record: what a stranger can forge is the event's source, and
   * that is refused. Who may write the topic at all is the broker's ACLs' to say (README); the
   * channel-per-module half of {@link #assertForgedPaymentsAreRefused} has no channel to test here.
   */
  @Test
  void a_payment_forged_with_another_source_is_refused_and_the_order_stays_pending() {
    // no payments module: the order waits at its reservation for a payment that only a forger sends
    node = TestNode.start(vertx, TestNode.config(dir, transport().overrides())
        .mergeIn(new JsonObject().put("modules", new JsonArray().add("orders").add("inventory").add("notifications")),
            true));
    String orderId = node.place(order("c-1", item("sku-1", 1, 10)));
    node.awaitEvent(orderId, "StockReserved");
    EventEnvelope saysItIsOrders = EventEnvelope.fromJson(EventFactory.system().create(EventCatalog.PAYMENT_AUTHORIZED,
        orderId, new PaymentAuthorized(orderId, new BigDecimal("10")), new EventFactory.Cause(orderId, null))
        .toJson().put("source", "/orders"));

    publishOnTheEventsTopic(saysItIsOrders);

    JsonArray letters = TestNode.poll("the forgery to be dead-lettered",
        () -> node.get("/dead-letters").bodyAsJsonObject().getJsonArray("items"), items -> items.size() == 1);
    assertThat(letters.getJsonObject(0).getString("reason")).contains("says its source is /orders");
    assertThat(node.get("/orders/" + orderId).bodyAsJsonObject().getString("status")).isEqualTo("PENDING");
    assertThat(types(node.events(orderId))).doesNotContain("OrderConfirmed");
  }

  /** Writes the event to the events' topic, as a foreign producer with the right to write there. */
  private void publishOnTheEventsTopic(EventEnvelope event) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>("switchboard.events", event.subject(), event.toJson().encode()))
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the foreign producer could not publish " + event.type(), e);
    }
  }
}
