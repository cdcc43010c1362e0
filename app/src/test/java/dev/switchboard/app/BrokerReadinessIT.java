package dev.switchboard.app;

import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.transports.kafka.testing.KafkaBroker;
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows the broker: a node on Kafka, then one on RabbitMQ, has its real broker taken
 * away; readiness goes down, naming the transport, while liveness and the store stay up; when the
 * broker is back, readiness comes back by itself and orders flow. Meanwhile the consumer-lag gauge
 * shows what the broker says each consumer has yet to take. A node whose broker is away when it
 * starts starts all the same, not ready, and its consumers subscribe when the broker comes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@StopsSharedServices
class BrokerReadinessIT {

  @TempDir
  Path dir;

  private Vertx vertx;
  private TestNode node;
  /** Closed after the node, which leaves its consumer groups or queues on the way out. */
  private AutoCloseable broker;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (node != null) {
        node.stop();
      }
    } finally {
      TestNode.await(vertx.close(), "vert.x to close");
      if (broker != null) {
        broker.close();
      }
    }
  }

  @Test
  void readiness_goes_down_with_kafka_and_comes_back_with_it() {
    KafkaBroker kafka = new KafkaBroker().start();
    broker = kafka;
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("transport", new JsonObject()
        .put("type", "kafka").put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers())
            .put("pingTimeoutMillis", 1_000).put("requestTimeoutMillis", 2_000).put("commitIntervalMillis", 100)))));
    confirmAnOrder("c-1");
    awaitConsumerLagOfZero("kafka");

    kafka.stop();
    assertDownNaming("kafka", kafka.bootstrapServers());
    kafka.start();

    TestNode.poll("readiness to come back", () -> node.get("/health/ready").statusCode(), status -> status == 200);
    confirmAnOrder("c-2");
  }

  @Test
  void readiness_goes_down_with_rabbitmq_and_comes_back_with_it() {
    RabbitMqBroker rabbitMq = RabbitMqBroker.create();
    broker = rabbitMq;
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("transport", new JsonObject()
        .put("type", "rabbitmq").put("rabbitmq", new JsonObject().put("uri", rabbitMq.uri())
            .put("reconnectIntervalMillis", 200).put("pingTimeoutMillis", 1_000)))));
    confirmAnOrder("c-1");
    awaitConsumerLagOfZero("rabbitmq");

    rabbitMq.whileStopped(() -> assertDownNaming("rabbitmq", "RabbitMQ"));

    TestNode.poll("readiness to come back", () -> node.get("/health/ready").statusCode(), status -> status == 200);
    confirmAnOrder("c-2");
  }

  @Test
  void a_node_starts_while_kafka_is_down_and_its_consumers_subscribe_when_kafka_comes() {
    KafkaBroker kafka = new KafkaBroker().start();
    broker = kafka;
    kafka.stop();
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("transport", new JsonObject()
        .put("type", "kafka").put("kafka", new JsonObject().put("bootstrapServers", kafka.bootstrapServers())
            .put("pingTimeoutMillis", 1_000).put("requestTimeoutMillis", 2_000).put("commitIntervalMillis", 100)))));
    assertDownNaming("kafka", kafka.bootstrapServers());
    assertConsumersNotSubscribed();
    String placedMeanwhile = node.place(order("c-1", item("sku-1", 1, 10)));

    kafka.start();

    TestNode.poll("readiness to come", () -> node.get("/health/ready").statusCode(), status -> status == 200);
    assertThat(node.awaitFinal(placedMeanwhile).getString("status")).isEqualTo("CONFIRMED");
    confirmAnOrder("c-2");
  }

  @Test
  void a_node_starts_while_rabbitmq_is_down_and_its_consumers_subscribe_when_rabbitmq_comes() {
    RabbitMqBroker rabbitMq = RabbitMqBroker.create();
    broker = rabbitMq;
    String[] placedMeanwhile = new String[1];
    rabbitMq.whileStopped(() -> {
      node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("transport", new JsonObject()
          .put("type", "rabbitmq").put("rabbitmq", new JsonObject().put("uri", rabbitMq.uri())
              .put("reconnectIntervalMillis", 200).put("pingTimeoutMillis", 1_000)
              // a consumer's first attempt gives up within these, and the node goes on starting
              .put("connectTimeoutMillis", 1_000).put("requestTimeoutMillis", 1_000)))));
      assertDownNaming("rabbitmq", "RabbitMQ");
      assertConsumersNotSubscribed();
      placedMeanwhile[0] = node.place(order("c-1", item("sku-1", 1, 10)));
    });

    TestNode.poll("readiness to come", () -> node.get("/health/ready").statusCode(), status -> status == 200);
    assertThat(node.awaitFinal(placedMeanwhile[0]).getString("status")).isEqualTo("CONFIRMED");
    confirmAnOrder("c-2");
  }

  private void confirmAnOrder(String customer) {
    String orderId = node.place(order(customer, item("sku-1", 1, 10)));
    assertThat(node.awaitFinal(orderId).getString("status")).isEqualTo("CONFIRMED");
  }

  /** Every module's consumer has its lag from the broker exported, and all have caught up. */
  private void awaitConsumerLagOfZero(String transport) {
    for (String consumer : Subscriptions.ALL.stream().map(Subscriptions.Subscription::consumer).toList()) {
      TestNode.poll(consumer + "'s lag on " + transport + " to be exported and nil",
          () -> consumerLag(node.get("/metrics").bodyAsString(), consumer, transport),
          lag -> lag.isPresent() && lag.getAsLong() == 0);
    }
  }

  private void assertDownNaming(String transport, String where) {
    JsonObject down = TestNode.poll("readiness to go down", () -> {
      HttpResponse<Buffer> response = node.get("/health/ready");
      return response.statusCode() == 503 ? response.bodyAsJsonObject() : null;
    }, body -> body != null);
    JsonObject checks = down.getJsonObject("checks");
    assertThat(down.getString("status")).isEqualTo("DOWN");
    assertThat(checks.getJsonObject("transport").getString("status")).isEqualTo("DOWN");
    assertThat(checks.getJsonObject("transport").getString("error")).as("what is down, on " + transport)
        .contains(where);
    assertThat(checks.getJsonObject("store").getString("status")).isEqualTo("UP");
    assertThat(node.get("/health/live").statusCode()).as("the process itself is fine").isEqualTo(200);
  }

  /** The node's readiness names every consumer that has not subscribed, as none can while its broker is away. */
  private void assertConsumersNotSubscribed() {
    JsonObject consumers = node.get("/health/ready").bodyAsJsonObject().getJsonObject("checks")
        .getJsonObject("consumers");
    assertThat(consumers.getString("status")).isEqualTo("DOWN");
    assertThat(consumers.getJsonArray("notSubscribed").getList())
        .containsExactly("inventory", "notifications", "orders-saga", "payments");
    assertThat(consumers.getString("error")).contains("orders-saga");
  }

  private static OptionalLong consumerLag(String metrics, String consumer, String transport) {
    Matcher line = Pattern.compile("^switchboard_consumer_lag\\{([^}]*)} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    while (line.find()) {
      String labels = line.group(1);
      if (labels.contains("consumer=\"" + consumer + "\"") && labels.contains("transport=\"" + transport + "\"")) {
        return OptionalLong.of((long) Double.parseDouble(line.group(2)));
      }
    }
    return OptionalLong.empty();
  }
}
