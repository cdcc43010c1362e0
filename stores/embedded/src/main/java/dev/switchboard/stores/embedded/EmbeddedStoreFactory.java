package dev.switchboard.stores.embedded;

import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code store.type=embedded}: the SQLite store in one file, the default. */
public final class EmbeddedStoreFactory implements StoreFactory {

  @Override
  public String type() {
    return "embedded";
  }

  @Override
  public Future<EventStore> open(Vertx vertx, EventSchemas schemas, JsonObject settings) {
    EmbeddedStoreSettings parsed;
    try {
      parsed = EmbeddedStoreSettings.from(settings);
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    return SqliteEventStore.open(vertx, schemas, parsed);
  }
}
