package dev.switchboard.runtime.transport.local;

import dev.switchboard.runtime.config.ConfigSection;
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

  /** Reads {@code transport.local}, every key of it ({@code config/default.json} gives each its default). */
  public static LocalTransportSettings from(JsonObject local) {
    ConfigSection section = ConfigSection.of("transport.local", local);
    return new LocalTransportSettings(section.wholeNumber("pollIntervalMillis"), section.integer("batchSize"),
        section.integer("lanes"));
  }
}
