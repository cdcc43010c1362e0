package dev.switchboard.app.tck;

import dev.switchboard.app.StopsSharedServices;
import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport test kit on RabbitMQ: the local server, a virtual host of its own per test (the
 * exchange and queue names are fixed), a foreign publisher writing to {@code switchboard.events};
 * "delivered" means every consumer's queue is empty with nothing unacknowledged; restarting the
 * transport stops the broker's application and starts it again.
 */
@StopsSharedServices
class RabbitMqTransportTckIT extends TransportTck {

  private RabbitMqBroker broker;

  @BeforeEach
  void openAVirtualHost() {
    broker = RabbitMqBroker.create();
  }

  @AfterEach
  void dropTheVirtualHost() {
    if (node != null) {
      node.stop();
      node = null;
    }
    broker.close();
  }

  @Override
  protected TransportUnderTest transport() {
    return new TransportUnderTest() {
      @Override
      public JsonObject overrides() {
        return new JsonObject().put("transport", new JsonObject().put("type", "rabbitmq")
            .put("rabbitmq", new JsonObject().put("uri", broker.uri()).put("reconnectIntervalMillis", 200)));
      }

      @Override
      public void publishForeign(TestNode node, EventEnvelope event) {
        broker.publishEvent(event);
      }

      @Override
      public void awaitDelivered(TestNode node) {
        TestNode.poll("every consumer's queue to be empty, nothing unacknowledged",
            () -> Subscriptions.ALL.stream().allMatch(subscription -> broker.isConsumed(subscription.consumer())),
            drained -> drained);
      }

      @Override
      public TestNode restart(TestNode node) {
        broker.restart();
        return node;
      }
    };
  }

  @Test
  void a_forged_payment_is_refused_and_the_order_stays_pending() {
    assertForgedPaymentsAreRefused((module, event) -> broker.publish(module + "." + event.type(), event.toJson().encode()));
  }
}
