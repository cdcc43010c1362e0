package dev.switchboard.runtime.transport.wire;

import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.testing.MemoryWire;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;

/** The wire test kit against the broker in memory: the reference every real wire is held to. */
class MemoryWireContractTest extends WireContract {

  private MemoryWire memory;

  @Override
  protected Wire newWire(Vertx vertx) {
    memory = new MemoryWire(vertx, new DeliverySettings(4, RetryPolicy.withoutEnd(20, 200), 1_000));
    return memory;
  }

  @Override
  protected void sendForeign(Wire wire, String consumer, String module, byte[] body) {
    memory.sendForeign(consumer, module, body);
  }

  @Override
  protected void brokerDown() {
    memory.down();
  }

  @Override
  protected void brokerUp() {
    memory.up();
  }
}
