package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/**
 * Settings of the embedded store ({@code store.embedded.*}).
 *
 * @param path          the SQLite file; its folder is created when missing
 * @param synchronous   SQLite's {@code synchronous} pragma: {@code FULL} survives power loss,
 *                      {@code NORMAL} survives a process crash only, and is faster
 * @param writeQueue    writes that may wait for the writer before new ones are refused
 * @param maxBatch      writes committed together in one transaction at most
 * @param readers       connections for concurrent reads
 * @param recentEvents  committed events kept in memory, from which readers of the log that keep up are
 *                      served without a query (see {@link dev.switchboard.runtime.store.RecentEvents}); 0 keeps none
 */
public record EmbeddedStoreSettings(String path, String synchronous, int writeQueue, int maxBatch, int readers,
                                    int recentEvents) {

  /** Reads {@code store.embedded}, every key of it ({@code config/default.json} gives each its default). */
  public static EmbeddedStoreSettings from(JsonObject embedded) {
    ConfigSection section = ConfigSection.of("store.embedded", embedded);
    return new EmbeddedStoreSettings(
        section.text("path"),
        section.text("synchronous"),
        section.integer("writeQueue"),
        section.integer("maxBatch"),
        section.integer("readers"),
        section.integer("recentEvents"));
  }

  public EmbeddedStoreSettings {
    if (!synchronous.equals("FULL") && !synchronous.equals("NORMAL")) {
      throw new IllegalArgumentException("store.embedded.synchronous must be FULL or NORMAL, was " + synchronous);
    }
    if (recentEvents < 0) {
      throw new IllegalArgumentException("store.embedded.recentEvents must not be negative, was " + recentEvents);
    }
  }
}
