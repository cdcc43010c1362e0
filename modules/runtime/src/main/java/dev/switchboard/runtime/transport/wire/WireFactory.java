package dev.switchboard.runtime.transport.wire;

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
}
