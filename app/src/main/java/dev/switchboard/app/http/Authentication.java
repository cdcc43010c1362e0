package dev.switchboard.app.http;

import dev.switchboard.app.security.Caller;
import dev.switchboard.app.security.NotAuthenticated;
import dev.switchboard.app.security.TokenVerifier;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * Finds out who calls, and keeps it in the request for the handlers after it ({@link #caller}).
 * Without a verifier ({@code security.mode=none}) every caller is {@link Caller#anonymous()}. With
 * one, the caller presents {@code Authorization: Bearer <JWT>}; none, or one that does not hold, is
 * a 401 with {@code WWW-Authenticate: Bearer}.
 *
 * <p>The bridge's variant also takes the token from the {@code token} query parameter, since a
 * browser cannot set headers on a WebSocket or SockJS connection; the API's routes never do, so that
 * tokens do not end up in the URLs of ordinary requests.
 */
final class Authentication implements Handler<RoutingContext> {

  private static final String CALLER = "switchboard.caller";
  private static final String BEARER = "Bearer ";
  private static final String CHALLENGE = "Bearer realm=\"switchboard\"";

  private final TokenVerifier verifier;
  private final boolean tokenInQuery;

  private Authentication(TokenVerifier verifier, boolean tokenInQuery) {
    this.verifier = verifier;
    this.tokenInQuery = tokenInQuery;
  }

  /** For the API; {@code verifier} null when the node asks no credentials. */
  static Authentication ofApi(TokenVerifier verifier) {
    return new Authentication(verifier, false);
  }

  /** For the bridge: the token may also come as the {@code token} query parameter. */
  static Authentication ofBridge(TokenVerifier verifier) {
    return new Authentication(verifier, true);
  }

  /**
   * The caller an earlier {@link Authentication} found. Fails closed: a route that forgot to
   * authenticate is a bug, answered 500, never taken for the all-powerful anonymous caller.
   */
  static Caller caller(RoutingContext ctx) {
    return found(ctx).orElseThrow(() -> new IllegalStateException(
        ctx.request().method() + " " + ctx.request().path() + " reads the caller but has no Authentication"));
  }

  /** The caller an earlier {@link Authentication} found, if one ran. */
  static Optional<Caller> found(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(CALLER));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (verifier == null) {
      ctx.put(CALLER, Caller.anonymous());
      ctx.next();
      return;
    }
    String token = token(ctx);
    if (token == null) {
      refuse(ctx, CHALLENGE, "A bearer token is required (Authorization: Bearer <token>).");
      return;
    }
    verifier.verify(token).onSuccess(caller -> {
      ctx.put(CALLER, caller);
      ctx.next();
    }).onFailure(failure -> refuse(ctx, CHALLENGE + ", error=\"invalid_token\"",
        failure instanceof NotAuthenticated ? failure.getMessage() : "The bearer token could not be verified."));
  }

  private String token(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String token = header.substring(BEARER.length()).trim();
      return token.isEmpty() ? null : token;
    }
    if (tokenInQuery) {
      try {
        String token = ctx.request().getParam("token");
        return token == null || token.isBlank() ? null : token.trim();
      } catch (IllegalArgumentException e) { // a query with a broken %-escape
        return null;
      }
    }
    return null;
  }

  private static void refuse(RoutingContext ctx, String challenge, String error) {
    ctx.response().putHeader("WWW-Authenticate", challenge);
    ErrorBodies.send(ctx, 401, error);
  }
}
