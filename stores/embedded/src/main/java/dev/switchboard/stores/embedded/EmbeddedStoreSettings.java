package dev.switchboard.stores.embedded;

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

  /** The default of {@code store.embedded.recentEvents}. */
  public static final int RECENT_EVENTS = 8_192;

  /** Reads the {@code store.embedded} section; a missing section or key takes its default. */
  public static EmbeddedStoreSettings from(JsonObject embedded) {
    JsonObject section = embedded == null ? new JsonObject() : embedded;
    return new EmbeddedStoreSettings(
        section.getString("path", "data/switchboard.db"),
        section.getString("synchronous", "FULL"),
        section.getInteger("writeQueue", 10_000),
        section.getInteger("maxBatch", 256),
        section.getInteger("readers", 4),
        section.getInteger("recentEvents", RECENT_EVENTS));
  }

  /** Settings keeping the default number of recent events in memory. */
  public EmbeddedStoreSettings(String path, String synchronous, int writeQueue, int maxBatch, int readers) {
    this(path, synchronous, writeQueue, maxBatch, readers, RECENT_EVENTS);
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
