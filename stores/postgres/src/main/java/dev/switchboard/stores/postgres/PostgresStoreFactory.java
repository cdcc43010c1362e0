package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code store.type=postgres}: the PostgreSQL store on vertx-pg-client. */
public final class PostgresStoreFactory implements StoreFactory {

  @Override
  public String type() {
    return "postgres";
  }

  @Override
  public Future<EventStore> open(Vertx vertx, EventSchemas schemas, JsonObject settings) {
    PostgresStoreSettings parsed;
    try {
      parsed = PostgresStoreSettings.from(settings);
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    return PostgresEventStore.open(vertx, schemas, parsed);
  }
}
