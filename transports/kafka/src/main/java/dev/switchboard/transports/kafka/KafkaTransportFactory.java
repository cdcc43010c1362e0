package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.transport.TransportFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code transport.type = kafka}; its settings are {@code transport.kafka} ({@link KafkaSettings}). */
public final class KafkaTransportFactory implements TransportFactory {

  @Override
  public String type() {
    return "kafka";
  }

  /** The store is not needed: Kafka keeps the events and the consumers' offsets itself. */
  @Override
  public Transport create(Vertx vertx, EventStore store, JsonObject settings) {
    return KafkaTransport.create(vertx, KafkaSettings.from(settings));
  }
}
