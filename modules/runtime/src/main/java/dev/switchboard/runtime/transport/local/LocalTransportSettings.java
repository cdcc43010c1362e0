package dev.switchboard.runtime.transport.local;

import io.vertx.core.json.JsonObject;

/**
 * Settings of the local transport ({@code transport.local.*}).
 *
 * @param pollIntervalMillis how often a consumer looks for events it may have missed a wake-up for
 * @param batchSize          events a consumer reads from the store at a time
 */
public record LocalTransportSettings(long pollIntervalMillis, int batchSize) {

  public static LocalTransportSettings from(JsonObject local) {
    return new LocalTransportSettings(local.getLong("pollIntervalMillis", 1000L), local.getInteger("batchSize", 256));
  }
}
