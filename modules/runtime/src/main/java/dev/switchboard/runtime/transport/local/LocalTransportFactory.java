package dev.switchboard.runtime.transport.local;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.transport.TransportFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code transport.type = local}. */
public final class LocalTransportFactory implements TransportFactory {

  @Override
  public String type() {
    return "local";
  }

  @Override
  public Transport create(Vertx vertx, EventStore store, JsonObject settings) {
    return new LocalTransport(vertx, store, LocalTransportSettings.from(settings));
  }
}
