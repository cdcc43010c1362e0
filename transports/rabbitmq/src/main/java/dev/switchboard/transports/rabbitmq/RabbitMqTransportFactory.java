package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.transport.TransportFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code transport.type = rabbitmq}, configured by {@code transport.rabbitmq}. */
public final class RabbitMqTransportFactory implements TransportFactory {

  @Override
  public String type() {
    return "rabbitmq";
  }

  @Override
  public Transport create(Vertx vertx, EventStore store, JsonObject settings) {
    return RabbitMqTransport.create(vertx, RabbitMqSettings.from(settings));
  }
}
