package dev.switchboard.app.http;

import dev.switchboard.app.security.Caller;
import dev.switchboard.app.security.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Lets through a caller (found by {@link Authentication} before it) who has one of the roles; 403 otherwise. */
final class Access implements Handler<RoutingContext> {

  private final Set<Role> anyOf;

  private Access(Set<Role> anyOf) {
    this.anyOf = anyOf;
  }

  static Access forRoles(Role first, Role... more) {
    return new Access(EnumSet.of(first, more));
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = Authentication.caller(ctx);
    if (caller.hasAnyOf(anyOf)) {
      ctx.next();
    } else {
      ErrorBodies.send(ctx, 403, "This needs the role " + anyOf.stream().map(Role::claimValue)
          .collect(Collectors.joining(" or ")) + ".");
    }
  }
}
