package dev.switchboard.app.tck;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.transports.sqs.testing.ElasticMq;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.math.BigDecimal;
import java.util.Map;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport test kit on Amazon SQS: ElasticMQ in the tests' JVM, a server of its own per test
 * (the queue names are fixed), a FIFO queue per consumer that the node's wire fills itself. A foreign
 * producer is a plain SDK client sending to the queue of every consumer of the event's type;
 * "delivered" means every consumer's queue is empty with nothing in flight; restarting the transport
 * stops ElasticMQ's server and starts it again, its queues kept (SQS out of reach for a while).
 *
 * <p>Of the forged payments of the other brokers' kits, only the one whose source says it is not
 * payments can be refused here: a queue is a consumer's, not a module's, so SQS cannot say which
 * module wrote to it; who may send to the queues (IAM) guards the rest (README, "On Amazon SQS").
 */
class SqsTransportTckIT extends TransportTck {

  private ElasticMq elasticMq;

  @BeforeEach
  void startElasticMq() {
    elasticMq = ElasticMq.start();
  }

  @AfterEach
  void stopElasticMq() {
    if (node != null) {
      node.stop();
      node = null;
    }
    elasticMq.close();
  }

  @Override
  protected TransportUnderTest transport() {
    return new TransportUnderTest() {
      @Override
      public JsonObject overrides() {
        return new JsonObject().put("transport", new JsonObject().put("type", "sqs")
            .put("sqs", elasticMq.settings(new JsonObject().put("waitTimeSeconds", 1).put("visibilityTimeoutSeconds", 4)
                .put("requestTimeoutMillis", 3_000).put("subscribersRefreshMillis", 500))));
      }

      @Override
      public void publishForeign(TestNode node, EventEnvelope event) {
        try (SqsClient client = elasticMq.client()) {
          for (Subscriptions.Subscription subscription
              : Subscriptions.to(EventCatalog.byName(event.type()).orElseThrow())) {
            String url = client.getQueueUrl(request -> request.queueName(queueOf(subscription.consumer()))).queueUrl();
            client.sendMessage(request -> request.queueUrl(url).messageBody(event.toJson().encode())
                .messageGroupId(event.subject()).messageDeduplicationId(event.id()));
          }
        }
      }

      @Override
      public void awaitDelivered(TestNode node) {
        TestNode.poll("every consumer's queue to be empty, nothing in flight",
            () -> Subscriptions.ALL.stream().mapToLong(subscription -> waitingOrInFlight(subscription.consumer()))
                .sum(), count -> count == 0);
      }

      @Override
      public TestNode restart(TestNode node) {
        elasticMq.restart();
        return node;
      }
    };
  }

  @Test
  void a_payment_whose_source_is_not_payments_is_refused_and_the_order_stays_pending() {
    // no payments module: the order waits at its reservation for a payment that only a forger sends
    node = TestNode.start(vertx, TestNode.config(dir, transport().overrides()).mergeIn(new JsonObject()
        .put("modules", new JsonArray().add("orders").add("inventory").add("notifications")), true));
    String orderId = node.place(order("c-1", item("sku-1", 1, 10)));
    node.awaitEvent(orderId, "StockReserved");
    EventEnvelope saysItIsOrders = EventEnvelope.fromJson(EventFactory.system().create(EventCatalog.PAYMENT_AUTHORIZED,
        orderId, new PaymentAuthorized(orderId, new BigDecimal("10")), new EventFactory.Cause(orderId, null))
        .toJson().put("source", "/orders"));

    transport().publishForeign(node, saysItIsOrders);

    JsonArray letters = TestNode.poll("the forgery to be dead-lettered",
        () -> node.get("/dead-letters").bodyAsJsonObject().getJsonArray("items"), items -> !items.isEmpty());
    assertThat(letters.getJsonObject(0).getString("reason")).contains("says its source is /orders");
    assertThat(node.get("/orders/" + orderId).bodyAsJsonObject().getString("status")).isEqualTo("PENDING");
  }

  private long waitingOrInFlight(String consumer) {
    try (SqsClient client = elasticMq.client()) {
      String url = client.getQueueUrl(request -> request.queueName(queueOf(consumer))).queueUrl();
      Map<QueueAttributeName, String> attributes = client.getQueueAttributes(request -> request.queueUrl(url)
          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
              QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
      return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
          + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    } catch (QueueDoesNotExistException notYet) {
      return 1; // its consumer has not subscribed yet
    }
  }

  private static String queueOf(String consumer) {
    return "switchboard-" + consumer + ".fifo";
  }
}
