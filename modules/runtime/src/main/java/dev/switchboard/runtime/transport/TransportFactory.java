package dev.switchboard.runtime.transport;

import dev.switchboard.runtime.store.EventStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Creates one kind of transport from its configuration. Implementations register through
 * {@code META-INF/services}, so that a transport is chosen by {@code transport.type} alone and the
 * app needs no code per transport.
 */
public interface TransportFactory {

  /** The value of {@code transport.type} that selects this transport. */
  String type();

  /**
   * @param settings the transport's own section of the configuration ({@code transport.<type>})
   */
  Transport create(Vertx vertx, EventStore store, JsonObject settings);
}
