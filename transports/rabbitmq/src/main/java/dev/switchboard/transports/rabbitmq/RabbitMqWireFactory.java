package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventType;
import dev.switchboard.runtime.transport.wire.AsyncApi;
import dev.switchboard.runtime.transport.wire.Wire;
import dev.switchboard.runtime.transport.wire.WireFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code transport.type = rabbitmq}, configured by {@code transport.rabbitmq}. */
public final class RabbitMqWireFactory implements WireFactory {

  @Override
  public String type() {
    return "rabbitmq";
  }

  @Override
  public Wire create(Vertx vertx, JsonObject settings) {
    return RabbitMqWire.create(vertx, RabbitMqSettings.from(settings));
  }

  @Override
  public void describe(AsyncApi doc) {
    RabbitMqChannels.describe(doc);
  }

  @Override
  public JsonObject channelsOf(EventType<?> type) {
    return RabbitMqChannels.of(type);
  }
}
