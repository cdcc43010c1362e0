package dev.switchboard.runtime.transport.local;

import io.vertx.core.json.JsonObject;

/**
 * Settings of the local transport ({@code transport.local.*}).
 *
 * @param pollIntervalMillis how often a consumer looks for events it may have missed a wake-up for
 * @param batchSize          events a consumer reads from the store at a time
 * @param lanes              how many lanes each consumer's work is split into, by order, for the nodes
 *                           sharing a store to read side by side (see {@link Lane}); 1 keeps it whole
 */
public record LocalTransportSettings(long pollIntervalMillis, int batchSize, int lanes) {

  public LocalTransportSettings {
    if (lanes < 1 || lanes > 64) {
      throw new IllegalArgumentException("transport.local.lanes must be from 1 to 64, was " + lanes);
    }
  }

  public LocalTransportSettings(long pollIntervalMillis, int batchSize) {
    this(pollIntervalMillis, batchSize, 1);
  }

  public static LocalTransportSettings from(JsonObject local) {
    return new LocalTransportSettings(local.getLong("pollIntervalMillis", 1000L), local.getInteger("batchSize", 256),
        local.getInteger("lanes", 1));
  }
}
