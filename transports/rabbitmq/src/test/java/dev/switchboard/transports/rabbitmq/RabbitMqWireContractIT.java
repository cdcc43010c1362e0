package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.transport.wire.Wire;
import dev.switchboard.runtime.transport.wire.WireContract;
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The wire test kit against the local RabbitMQ, in a virtual host of its own: a foreign client
 * publishes raw bytes to {@code switchboard.events} with the routing key {@code <module>.Whatever};
 * the broker goes away by stopping its application, which takes every connection with it.
 */
class RabbitMqWireContractIT extends WireContract {

  private static RabbitMqBroker broker;

  @BeforeAll
  static void createTheVirtualHost() {
    broker = RabbitMqBroker.create();
  }

  @AfterAll
  static void deleteTheVirtualHost() {
    if (broker != null) {
      broker.close();
    }
  }

  /** Runs before the kit closes its wire, so that the wire closes against a broker that answers. */
  @AfterEach
  void startTheBrokerIfATestLeftItStopped() {
    broker.start();
  }

  /**
   * Quick reconnects and redeliveries; four in flight, a drain of a second, as the kit asks. Returned
   * once both its connections are open: the kit publishes at once.
   */
  @Override
  protected Wire newWire(Vertx vertx) {
    Wire wire = RabbitMqWire.create(vertx, RabbitMqTestSettings.from(new JsonObject()
        .put("uri", broker.uri())
        .put("prefetch", 4)
        .put("drainTimeoutMillis", 1_000)
        .put("reconnectIntervalMillis", 200)
        .put("pingTimeoutMillis", 1_000)
        .put("retryInitialBackoffMillis", 20)
        .put("retryMaxBackoffMillis", 200)));
    Await.until("the wire answers pings", () -> wire.ping().toCompletionStage().toCompletableFuture()
        .handle((ok, failure) -> failure == null).join());
    return wire;
  }

  @Override
  protected void sendForeign(Wire wire, String consumer, String module, byte[] body) {
    broker.publish(module + ".Whatever", body);
  }

  @Override
  protected void brokerDown() {
    broker.stop();
  }

  @Override
  protected void brokerUp() {
    broker.start();
  }
}
