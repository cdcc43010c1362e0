package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.wire.Wire;
import dev.switchboard.runtime.transport.wire.WireContract;
import dev.switchboard.transports.sqs.testing.ElasticMq;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The wire test kit on ElasticMQ: a FIFO queue per consumer, filled by the wire's own fan-out. A
 * foreign client is a plain SDK client sending to the consumer's queue; an outage stops ElasticMQ and
 * starts it again, empty, on the same port (the wire makes its queues again when a receive or a send
 * finds them gone; persisting them would test less).
 */
class SqsWireContractIT extends WireContract {

  private static ElasticMq elasticMq;

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

  @Override
  protected Wire newWire(Vertx vertx) {
    return new SqsWire(vertx, SqsTestSettings.from(elasticMq.settings(new JsonObject()
        .put("maxInFlight", maxInFlight())
        .put("drainTimeoutMillis", 1_000)
        .put("waitTimeSeconds", 1)
        .put("visibilityTimeoutSeconds", 6)
        .put("requestTimeoutMillis", 3_000)
        .put("pingTimeoutMillis", 1_000)
        .put("retryInitialBackoffMillis", 20)
        .put("retryMaxBackoffMillis", 500)
        .put("subscribersRefreshMillis", 500))));
  }

  /** A few: one receive at a time (ten messages each) fills it. */
  protected int maxInFlight() {
    return 4;
  }

  @Override
  protected void sendForeign(Wire wire, String consumer, String module, byte[] body) {
    try (SqsClient client = elasticMq.client()) {
      String url = client.getQueueUrl(request -> request.queueName(QueueNames.queueOf(consumer))).queueUrl();
      client.sendMessage(request -> request.queueUrl(url).messageBody(new String(body, StandardCharsets.UTF_8))
          .messageGroupId("foreign").messageDeduplicationId(UUID.randomUUID().toString()));
    }
  }

  /** ElasticMQ stops and loses every queue, as it does without persistence: the wire makes them again. */
  @Override
  protected void brokerDown() {
    elasticMq.forgetEverything();
  }

  @Override
  protected void brokerUp() {
    elasticMq.up();
  }
}
