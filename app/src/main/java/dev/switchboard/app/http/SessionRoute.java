package dev.switchboard.app.http;

import dev.switchboard.app.security.Caller;
import dev.switchboard.app.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /session}: who the node takes the caller for, so that the live page knows whether to ask
 * for a token and what to show: {@code {principal, roles, secured}}.
 */
final class SessionRoute {

  private final boolean secured;

  SessionRoute(boolean secured) {
    this.secured = secured;
  }

  void describe(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    JsonArray roles = new JsonArray();
    caller.roles().stream().sorted().map(Role::claimValue).forEach(roles::add);
    ctx.response().putHeader("Content-Type", ErrorBodies.JSON).putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("principal", caller.name()).put("roles", roles).put("secured", secured).encode());
  }
}
