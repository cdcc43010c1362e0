package dev.switchboard.runtime.transport.wire;

import dev.switchboard.contracts.EventType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Creates one kind of wire from its configuration. Implementations register through
 * {@code META-INF/services}, so that a broker is chosen by {@code transport.type} alone; the node
 * wraps the wire in the runtime's delivery engine.
 */
public interface WireFactory {

  /** The value of {@code transport.type} that selects this wire. */
  String type();

  /**
   * @param settings the wire's own section of the configuration ({@code transport.<type>})
   * @throws IllegalArgumentException on settings that cannot work
   */
  Wire create(Vertx vertx, JsonObject settings);

  /**
   * Adds this broker's server, channels and operations to the AsyncAPI document every node serves,
   * named as the wire names them on the broker: the names exist once, in the wire's module.
   */
  void describe(AsyncApi doc);

  /** Where events of {@code type} travel on this broker, for its entry in {@code GET /catalog} ({@code channels.<type>}). */
  JsonObject channelsOf(EventType<?> type);
}
