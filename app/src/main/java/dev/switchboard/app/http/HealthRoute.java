package dev.switchboard.app.http;

import dev.switchboard.app.cluster.Clustering;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Supplier;

/**
 * Liveness and readiness, through {@code vertx-health-check} (each check with its own timeout):
 * <ul>
 *   <li>{@code GET /health/live}: the process answers (its event loop is not stuck); restart it if not.
 *   <li>{@code GET /health/ready} (and {@code GET /health}): the store and the transport answer in
 *       time, and every consumer of the node has subscribed (one whose broker was away when it
 *       started is still trying: the check names it); send it no traffic if not. The cluster check
 *       reports the members this node sees.
 * </ul>
 * 200 when every check is up, 503 otherwise: {@code {status, checks:{<name>:{status, error?, …}}}}.
 */
final class HealthRoute {

  private final HealthChecks liveness;
  private final HealthChecks readiness;

  HealthRoute(Vertx vertx, EventStore store, Transport transport, Supplier<List<String>> consumersNotSubscribed,
              long timeoutMillis) {
    liveness = HealthChecks.create(vertx)
        .register("process", timeoutMillis, promise -> promise.complete(Status.OK()));
    readiness = HealthChecks.create(vertx)
        .register("store", timeoutMillis, promise -> report(store.ping(), promise, new JsonObject()))
        .register("transport", timeoutMillis, promise ->
            report(transport.ping(), promise, new JsonObject().put("type", transport.name())))
        .register("consumers", timeoutMillis, promise -> promise.complete(subscribed(consumersNotSubscribed.get())))
        .register("cluster", timeoutMillis, promise -> promise.complete(Status.OK(cluster(vertx))));
  }

  private static Status subscribed(List<String> notSubscribed) {
    return notSubscribed.isEmpty() ? Status.OK() : Status.KO(new JsonObject()
        .put("notSubscribed", new JsonArray(notSubscribed))
        .put("error", "not subscribed yet (each tries again until its broker answers): "
            + String.join(", ", notSubscribed)));
  }

  void live(RoutingContext ctx) {
    answer(ctx, liveness);
  }

  void ready(RoutingContext ctx) {
    answer(ctx, readiness);
  }

  private static void answer(RoutingContext ctx, HealthChecks checks) {
    checks.checkStatus().onComplete(done -> {
      JsonObject byName = new JsonObject();
      boolean up = done.succeeded() && CheckResult.isUp(done.result());
      if (done.succeeded() && done.result().getChecks() != null) {
        for (CheckResult check : done.result().getChecks()) {
          byName.put(check.getId(), describe(check));
        }
      }
      ctx.response()
          .setStatusCode(up ? 200 : 503)
          .putHeader("Content-Type", ErrorBodies.JSON)
          .end(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", byName).encode());
    });
  }

  private static JsonObject describe(CheckResult check) {
    JsonObject described = new JsonObject().put("status", CheckResult.isUp(check) ? "UP" : "DOWN");
    if (check.getData() != null) {
      described.mergeIn(check.getData().copy().put("status", described.getString("status")));
    }
    if (check.getFailure() != null) {
      described.put("error", check.getFailure().getMessage());
    }
    return described;
  }

  private static void report(Future<Void> ping, Promise<Status> promise, JsonObject data) {
    ping.onSuccess(v -> promise.complete(Status.OK(data)))
        .onFailure(failure -> promise.complete(Status.KO(data.copy().put("error", String.valueOf(failure.getMessage())))));
  }

  /** Whether this node is clustered, and how many members it sees (itself included). */
  private static JsonObject cluster(Vertx vertx) {
    int members = Clustering.members(vertx);
    return members < 0
        ? new JsonObject().put("clustered", false)
        : new JsonObject().put("clustered", true).put("members", members);
  }
}
