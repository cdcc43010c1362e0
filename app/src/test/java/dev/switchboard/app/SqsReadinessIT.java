package dev.switchboard.app;

import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.transports.sqs.testing.ElasticMq;
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
 * Readiness follows SQS as it follows Kafka and RabbitMQ (BrokerReadinessIT): with ElasticMQ's server
 * stopped, readiness goes down naming where SQS was asked, while liveness and the store stay up; when
 * it is back, readiness comes back by itself and orders flow; the consumer-lag gauge shows each
 * queue's waiting messages. A node whose SQS is away when it starts starts all the same, not ready,
 * and its consumers subscribe (making their queues) when SQS comes.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqsReadinessIT {

  @TempDir
  Path dir;

  private Vertx vertx;
  private TestNode node;
  private ElasticMq elasticMq;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    elasticMq = ElasticMq.start();
  }

  @AfterEach
  void stop() {
    try {
      if (node != null) {
        node.stop();
      }
    } finally {
      TestNode.await(vertx.close(), "vert.x to close");
      elasticMq.close();
    }
  }

  @Test
  void readiness_goes_down_with_sqs_and_comes_back_with_it() {
    node = TestNode.start(vertx, config());
    confirmAnOrder("c-1");
    awaitConsumerLagOfZero();

    elasticMq.down();
    assertDownNaming(elasticMq.endpoint());
    elasticMq.up();

    TestNode.poll("readiness to come back", () -> node.get("/health/ready").statusCode(), status -> status == 200);
    confirmAnOrder("c-2");
  }

  @Test
  void a_node_starts_while_sqs_is_down_and_its_consumers_subscribe_when_sqs_comes() {
    elasticMq.down();
    node = TestNode.start(vertx, config());
    assertDownNaming(elasticMq.endpoint());
    String placedMeanwhile = node.place(order("c-1", item("sku-1", 1, 10)));

    elasticMq.up();

    TestNode.poll("readiness to come", () -> node.get("/health/ready").statusCode(), status -> status == 200);
    assertThat(node.awaitFinal(placedMeanwhile).getString("status")).isEqualTo("CONFIRMED");
    confirmAnOrder("c-2");
  }

  private JsonObject config() {
    return TestNode.config(dir, new JsonObject().put("transport", new JsonObject().put("type", "sqs")
        .put("sqs", elasticMq.settings(new JsonObject().put("waitTimeSeconds", 1).put("visibilityTimeoutSeconds", 4)
            .put("pingTimeoutMillis", 1_000).put("requestTimeoutMillis", 2_000)))));
  }

  private void confirmAnOrder(String customer) {
    String orderId = node.place(order(customer, item("sku-1", 1, 10)));
    assertThat(node.awaitFinal(orderId).getString("status")).isEqualTo("CONFIRMED");
  }

  /** Every module's consumer has its queue's waiting messages exported as lag, and all are nil. */
  private void awaitConsumerLagOfZero() {
    for (String consumer : Subscriptions.ALL.stream().map(Subscriptions.Subscription::consumer).toList()) {
      TestNode.poll(consumer + "'s lag on sqs to be exported and nil",
          () -> consumerLag(node.get("/metrics").bodyAsString(), consumer),
          lag -> lag.isPresent() && lag.getAsLong() == 0);
    }
  }

  private void assertDownNaming(String where) {
    JsonObject down = TestNode.poll("readiness to go down", () -> {
      HttpResponse<Buffer> response = node.get("/health/ready");
      return response.statusCode() == 503 ? response.bodyAsJsonObject() : null;
    }, body -> body != null);
    JsonObject checks = down.getJsonObject("checks");
    assertThat(checks.getJsonObject("transport").getString("status")).isEqualTo("DOWN");
    assertThat(checks.getJsonObject("transport").getString("error")).as("what is down").contains("SQS at " + where)
        .doesNotContain(ElasticMq.SECRET_ACCESS_KEY);
    assertThat(checks.getJsonObject("store").getString("status")).isEqualTo("UP");
    assertThat(node.get("/health/live").statusCode()).as("the process itself is fine").isEqualTo(200);
  }

  private static OptionalLong consumerLag(String metrics, String consumer) {
    Matcher line = Pattern.compile("^switchboard_consumer_lag\\{([^}]*)} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    while (line.find()) {
      String labels = line.group(1);
      if (labels.contains("consumer=\"" + consumer + "\"") && labels.contains("transport=\"sqs\"")) {
        return OptionalLong.of((long) Double.parseDouble(line.group(2)));
      }
    }
    return OptionalLong.empty();
  }
}
