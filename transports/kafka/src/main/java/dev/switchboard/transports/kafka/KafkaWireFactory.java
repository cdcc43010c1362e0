package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventType;
import dev.switchboard.runtime.transport.wire.AsyncApi;
import dev.switchboard.runtime.transport.wire.Wire;
import dev.switchboard.runtime.transport.wire.WireFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code transport.type = kafka}; its settings are {@code transport.kafka} ({@link KafkaSettings}). */
public final class KafkaWireFactory implements WireFactory {

  @Override
  public String type() {
    return "kafka";
  }

  @Override
  public Wire create(Vertx vertx, JsonObject settings) {
    return KafkaWire.create(vertx, KafkaSettings.from(settings));
  }

  @Override
  public void describe(AsyncApi doc) {
    KafkaChannels.describe(doc);
  }

  @Override
  public JsonObject channelsOf(EventType<?> type) {
    return KafkaChannels.of(type);
  }
}
