package dev.switchboard.app.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.Set;

/**
 * A request that carries a body must say {@code Content-Type: application/json}, else 415. A browser
 * sends a cross-site form (url-encoded, multipart, text/plain) without asking first, but never a JSON
 * one: so no form on another site can place an order or act on dead letters.
 */
final class JsonBodiesOnly implements Handler<RoutingContext> {

  private static final Set<HttpMethod> WITH_BODIES =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);
  private static final String JSON = "application/json";

  private final String exemptPrefix;

  /**
   * @param exemptPrefix requests under it are let through: SockJS's polling transports post the
   *     bridge's frames as text/plain, and the bridge has a gate of its own (origin, token)
   */
  JsonBodiesOnly(String exemptPrefix) {
    this.exemptPrefix = exemptPrefix;
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap headers = ctx.request().headers();
    if (WITH_BODIES.contains(ctx.request().method()) && !ctx.request().path().startsWith(exemptPrefix)
        && carriesBody(headers) && !isJson(headers.get("Content-Type"))) {
      ErrorBodies.send(ctx, 415, "The request body must be JSON, sent with Content-Type: application/json.");
    } else {
      ctx.next();
    }
  }

  private static boolean carriesBody(MultiMap headers) {
    String length = headers.get("Content-Length");
    return (length != null && !length.trim().equals("0")) || headers.contains("Transfer-Encoding")
        || headers.contains("Content-Type");
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int parameters = contentType.indexOf(';');
    String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
    return mediaType.toLowerCase(Locale.ROOT).equals(JSON);
  }
}
