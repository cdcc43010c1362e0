package dev.switchboard.app.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Every error the HTTP API answers is JSON: {@code {error}} or {@code {error, details:[{field, problem}]}}. */
final class ErrorBodies {

  static final String JSON = "application/json";
  /** How long a client should wait before trying a {@code 503} again. */
  static final String RETRY_AFTER_SECONDS = "1";

  private ErrorBodies() {
  }

  static void send(RoutingContext ctx, int status, String error) {
    send(ctx, status, new JsonObject().put("error", error));
  }

  static void send(RoutingContext ctx, int status, String error, String field, String problem) {
    send(ctx, status, new JsonObject().put("error", error)
        .put("details", new JsonArray().add(new JsonObject().put("field", field).put("problem", problem))));
  }

  static void send(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (status == 503) {
      // the node is overloaded or its store away for a moment: tell clients when to come back
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
  }
}
