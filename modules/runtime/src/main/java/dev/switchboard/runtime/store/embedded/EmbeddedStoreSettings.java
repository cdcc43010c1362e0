package dev.switchboard.runtime.store.embedded;

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
 */
public record EmbeddedStoreSettings(String path, String synchronous, int writeQueue, int maxBatch, int readers) {

  public static EmbeddedStoreSettings from(JsonObject embedded) {
    return new EmbeddedStoreSettings(
        embedded.getString("path", "data/switchboard.db"),
        embedded.getString("synchronous", "FULL"),
        embedded.getInteger("writeQueue", 10_000),
        embedded.getInteger("maxBatch", 256),
        embedded.getInteger("readers", 4));
  }

  public EmbeddedStoreSettings {
    if (!synchronous.equals("FULL") && !synchronous.equals("NORMAL")) {
      throw new IllegalArgumentException("store.embedded.synchronous must be FULL or NORMAL, was " + synchronous);
    }
  }
}
