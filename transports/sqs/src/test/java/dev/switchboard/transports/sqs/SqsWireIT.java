package dev.switchboard.transports.sqs;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Source;
import dev.switchboard.transports.sqs.testing.ElasticMq;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQS wire on ElasticMQ, beyond the kit: what a foreign client sees on the queues, the fan-out
 * across nodes, the redrive policy, and a message kept in hand longer than its visibility timeout.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqsWireIT {

  private static ElasticMq elasticMq;
  private Vertx vertx;
  private final List<SqsWire> wires = new ArrayList<>();

  @BeforeAll
  static void startElasticMq() {
    elasticMq = ElasticMq.start();
  }

  @AfterAll
  static void stopElasticMq() {
    if (elasticMq != null) {
      elasticMq.close();
    }
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeWires() {
    wires.forEach(wire -> Await.result(wire.close()));
    Await.result(vertx.close());
  }

  @Test
  void a_foreign_client_reads_our_cloud_events_from_the_consumers_fifo_queue() {
    String consumer = newConsumer();
    subscribeOnce(consumer, new JsonObject());
    SqsWire wire = newWire(new JsonObject());
    EventEnvelope placed = TestEvents.orderPlaced(TestEvents.newOrderId());
    EventEnvelope confirmed = TestEvents.orderConfirmed(placed.subject()); // nobody subscribed: stays out

    Await.result(wire.send(List.of(Outgoing.event(placed), Outgoing.event(confirmed))));

    try (SqsClient client = elasticMq.client()) {
      String url = client.getQueueUrl(request -> request.queueName("switchboard-" + consumer + ".fifo")).queueUrl();
      List<Message> messages = client.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
          .waitTimeSeconds(2).messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID,
              MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID).messageAttributeNames("All")).messages();

      assertThat(messages).hasSize(1);
      Message message = messages.get(0);
      assertThat(new JsonObject(message.body())).isEqualTo(placed.toJson());
      assertThat(message.attributes()).containsEntry(MessageSystemAttributeName.MESSAGE_GROUP_ID, placed.subject())
          .containsEntry(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID, placed.id());
      assertThat(message.messageAttributes().get("type").stringValue()).isEqualTo("OrderPlaced");
      assertThat(message.messageAttributes().get("ce_subject").stringValue()).isEqualTo(placed.subject());
    }
  }

  @Test
  void a_consumer_subscribed_once_gets_the_events_another_node_sends_while_it_is_not_running() {
    String consumer = newConsumer();
    subscribeOnce(consumer, new JsonObject());

    SqsWire publisher = newWire(new JsonObject()); // another node: knows the consumer only from SQS
    EventEnvelope placed = TestEvents.orderPlaced(TestEvents.newOrderId());
    Await.result(publisher.send(List.of(Outgoing.event(placed))));

    List<Arrival> arrived = Collections.synchronizedList(new ArrayList<>());
    SqsWire subscriber = newWire(new JsonObject());
    Source again = Await.result(subscriber.open(consumer, Set.of("OrderPlaced"), arrived::add));
    Await.until("the event sent while the consumer was away arrives", () -> !arrived.isEmpty());
    assertThat(new JsonObject(new String(arrived.get(0).body(), StandardCharsets.UTF_8))).isEqualTo(placed.toJson());
    Await.result(arrived.get(0).acknowledge());
    Await.result(again.stop());
    Await.result(again.close());
  }

  @Test
  void an_event_sent_before_its_catalog_consumer_ever_subscribed_waits_in_the_queue_the_send_made() {
    try (ElasticMq fresh = ElasticMq.start()) {
      SqsWire wire = new SqsWire(vertx, SqsTestSettings.from(fresh.settings(new JsonObject().put("waitTimeSeconds", 1)
          .put("visibilityTimeoutSeconds", 5).put("requestTimeoutMillis", 3_000))));
      wires.add(wire);
      EventEnvelope placed = TestEvents.orderPlaced(TestEvents.newOrderId());

      Await.result(wire.send(List.of(Outgoing.event(placed)))); // payments and inventory take OrderPlaced

      List<Arrival> arrived = Collections.synchronizedList(new ArrayList<>());
      Source payments = Await.result(wire.open("payments", Set.of("OrderPlaced", "StockReserved"), arrived::add));
      Await.until("the event sent before payments subscribed arrives", () -> !arrived.isEmpty());
      assertThat(new JsonObject(new String(arrived.get(0).body(), StandardCharsets.UTF_8))).isEqualTo(placed.toJson());
      try (SqsClient client = fresh.client()) {
        assertThat(client.listQueues(request -> request.queueNamePrefix("switchboard-")).queueUrls())
            .anyMatch(url -> url.endsWith("/switchboard-inventory.fifo"))
            .anyMatch(url -> url.endsWith("/switchboard-inventory-dlq.fifo"))
            .noneMatch(url -> url.endsWith("/switchboard-notifications.fifo")); // takes no OrderPlaced
      }
      Await.result(arrived.get(0).acknowledge());
      Await.result(payments.stop());
      Await.result(payments.close());
      Await.result(wire.close());
      wires.remove(wire);
    }
  }

  @Test
  void a_message_received_max_receive_count_times_without_delete_lands_in_the_dead_letter_queue() {
    String consumer = newConsumer();
    subscribeOnce(consumer, new JsonObject().put("maxReceiveCount", 2));
    SqsWire wire = newWire(new JsonObject().put("maxReceiveCount", 2));
    EventEnvelope placed = TestEvents.orderPlaced(TestEvents.newOrderId());
    Await.result(wire.send(List.of(Outgoing.event(placed))));

    try (SqsClient client = elasticMq.client()) {
      String url = client.getQueueUrl(request -> request.queueName("switchboard-" + consumer + ".fifo")).queueUrl();
      String deadLetters = client.getQueueUrl(request -> request.queueName("switchboard-" + consumer + "-dlq.fifo"))
          .queueUrl();
      for (int receive = 1; receive <= 2; receive++) {
        Message message = client.receiveMessage(request -> request.queueUrl(url).waitTimeSeconds(2))
            .messages().get(0);
        client.changeMessageVisibility(request -> request.queueUrl(url).receiptHandle(message.receiptHandle())
            .visibilityTimeout(0)); // received, not deleted
      }
      assertThat(client.receiveMessage(request -> request.queueUrl(url).waitTimeSeconds(1)).messages())
          .as("a third receive finds nothing: the message moved on").isEmpty();

      List<Message> moved = client.receiveMessage(request -> request.queueUrl(deadLetters).waitTimeSeconds(2))
          .messages();
      assertThat(moved).hasSize(1);
      assertThat(new JsonObject(moved.get(0).body())).isEqualTo(placed.toJson());
      assertThat(client.getQueueAttributes(request -> request.queueUrl(url)
          .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY))
          .contains("switchboard-" + consumer + "-dlq.fifo");
    }
  }

  @Test
  void a_dead_letter_copy_goes_to_the_consumers_dead_letter_queue() {
    String consumer = newConsumer();
    SqsWire wire = newWire(new JsonObject());
    EventEnvelope placed = TestEvents.orderPlaced(TestEvents.newOrderId());
    DeadLetter letter = new DeadLetter(UUID.randomUUID().toString(), consumer, placed.id(), 0, "refused", 1,
        placed.toJson(), "2026-12-06T00:00:00Z");

    Await.result(wire.send(List.of(Outgoing.deadLetter(letter)))); // its queue is made on the way

    try (SqsClient client = elasticMq.client()) {
      String deadLetters = client.getQueueUrl(request -> request.queueName("switchboard-" + consumer + "-dlq.fifo"))
          .queueUrl();
      Message copy = client.receiveMessage(request -> request.queueUrl(deadLetters).waitTimeSeconds(2)
          .messageAttributeNames("All")).messages().get(0);
      assertThat(new JsonObject(copy.body()).getString("id")).isEqualTo(letter.id());
      assertThat(copy.messageAttributes().get("type").stringValue()).isEqualTo("DeadLetter");
    }
  }

  @Test
  void a_message_kept_in_hand_longer_than_its_visibility_timeout_stays_held_and_comes_once() {
    String consumer = newConsumer();
    SqsWire wire = newWire(new JsonObject().put("visibilityTimeoutSeconds", 3));
    List<Arrival> arrived = Collections.synchronizedList(new ArrayList<>());
    Source source = Await.result(wire.open(consumer, Set.of("OrderPlaced"), arrived::add));
    Await.result(wire.send(List.of(Outgoing.event(TestEvents.orderPlaced(TestEvents.newOrderId())))));
    Await.until("the event arrives", () -> !arrived.isEmpty());

    sleep(8_000); // more than twice its visibility timeout
    assertThat(arrived).as("SQS has not handed it out again").hasSize(1);
    assertThat(arrived.get(0).held()).isTrue();
    assertThat(Await.result(wire.lag(Map.of(consumer, Set.of("OrderPlaced"))))).containsEntry(consumer, 0L);

    Await.result(arrived.get(0).acknowledge());
    assertThat(arrived.get(0).held()).isFalse();
    sleep(4_000);
    assertThat(arrived).as("deleted, never seen again").hasSize(1);
    Await.result(source.stop());
    Await.result(source.close());
  }

  @Test
  void ping_answers_while_elasticmq_runs() {
    assertThat(Await.result(newWire(new JsonObject()).ping())).isNull();
  }

  /**
   * Opens the consumer's source on a node of its own, which then stops: its queue is subscribed, and
   * no receive of that node's is still on its way to take what the test sends.
   */
  private void subscribeOnce(String consumer, JsonObject overrides) {
    SqsWire node = newWire(overrides);
    Source source = Await.result(node.open(consumer, Set.of("OrderPlaced"), arrival -> {
    }));
    Await.result(source.stop());
    Await.result(source.close());
    wires.remove(node);
    Await.result(node.close());
  }

  private SqsWire newWire(JsonObject overrides) {
    SqsWire wire = new SqsWire(vertx, SqsTestSettings.from(elasticMq.settings(new JsonObject()
        .put("waitTimeSeconds", 1).put("visibilityTimeoutSeconds", 5).put("requestTimeoutMillis", 3_000)
        .put("subscribersRefreshMillis", 200).mergeIn(overrides))));
    wires.add(wire);
    return wire;
  }

  private static String newConsumer() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
