package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.wire.Wire;
import dev.switchboard.runtime.transport.wire.WireContract;
import dev.switchboard.transports.kafka.testing.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The wire test kit on a real broker (KRaft, its own process): a foreign client is a plain
 * KafkaProducer writing raw bytes to the events' topic (every module's); an outage kills the broker and starts it again
 * on the same ports and data.
 */
class KafkaWireContractIT extends WireContract {

  private static KafkaBroker broker;
  private static ForeignClients foreign;

  @BeforeAll
  static void startTheBroker() {
    broker = new KafkaBroker().start();
    foreign = new ForeignClients(broker.bootstrapServers());
  }

  @AfterAll
  static void stopTheBroker() {
    broker.close();
  }

  /**
   * A few records in flight, a drain of a second, short timeouts and quick commits, so that the kit runs
   * fast; the topic gets the default partitions, over which each order keeps its order.
   */
  @Override
  protected Wire newWire(Vertx vertx) {
    return KafkaWire.create(vertx, KafkaTestSettings.from(new JsonObject()
        .put("bootstrapServers", broker.bootstrapServers())
        .put("maxInFlight", 4)
        .put("drainTimeoutMillis", 1_000)
        .put("retryInitialBackoffMillis", 20)
        .put("retryMaxBackoffMillis", 200)
        .put("commitIntervalMillis", 100)
        .put("requestTimeoutMillis", 3_000)
        .put("deliveryTimeoutMillis", 6_000)
        .put("pingTimeoutMillis", 1_000)
        // a consumer cut off from its coordinator is given up by the group after this
        .put("properties", new JsonObject().put("session.timeout.ms", "10000"))));
  }

  @Override
  protected void sendForeign(Wire wire, String consumer, String module, byte[] body) {
    foreign.produceBytes(Topics.EVENTS, body);
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
