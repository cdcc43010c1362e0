package dev.switchboard.app.http;

import dev.switchboard.app.cluster.Clustering;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;

/**
 * {@code GET /health}: 200 when the store and the transport both answer in time, 503 otherwise,
 * with each one's state: {@code {status, checks:{store:{status, error?}, transport:{…}, cluster:{clustered,
 * members?}}}}.
 */
final class HealthRoute {

  private final EventStore store;
  private final Transport transport;
  private final long timeoutMillis;

  HealthRoute(EventStore store, Transport transport, long timeoutMillis) {
    this.store = store;
    this.transport = transport;
    this.timeoutMillis = timeoutMillis;
  }

  void handle(RoutingContext ctx) {
    Future<JsonObject> storeCheck = check(store.ping());
    Future<JsonObject> transportCheck = check(transport.ping());
    Future.join(storeCheck, transportCheck).onComplete(done -> {
      JsonObject checks = new JsonObject()
          .put("store", storeCheck.result())
          .put("transport", transportCheck.result().put("type", transport.name()))
          .put("cluster", cluster(ctx.vertx()));
      boolean up = isUp(storeCheck.result()) && isUp(transportCheck.result());
      ctx.response()
          .setStatusCode(up ? 200 : 503)
          .putHeader("Content-Type", ErrorBodies.JSON)
          .end(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks).encode());
    });
  }

  private Future<JsonObject> check(Future<Void> ping) {
    return ping.timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(v -> new JsonObject().put("status", "UP"))
        .otherwise(failure -> new JsonObject().put("status", "DOWN").put("error", failure.getMessage()));
  }

  /** Whether this node is clustered, and how many members it sees (itself included). */
  private static JsonObject cluster(Vertx vertx) {
    int members = Clustering.members(vertx);
    return members < 0
        ? new JsonObject().put("status", "UP").put("clustered", false)
        : new JsonObject().put("status", "UP").put("clustered", true).put("members", members);
  }

  private static boolean isUp(JsonObject check) {
    return "UP".equals(check.getString("status"));
  }
}
