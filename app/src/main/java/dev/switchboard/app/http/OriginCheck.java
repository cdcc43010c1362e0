package dev.switchboard.app.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a state-changing request that a page of another origin sent (cross-site request forgery):
 * when a browser names the {@code Origin}, it must be the node's own (its host and port those of the
 * {@code Host}) or one of {@code http.allowedOrigins}. Requests without an {@code Origin} are not
 * from a browser page of another site, and pass. The bridge applies {@link #allowed} to every request.
 */
final class OriginCheck implements Handler<RoutingContext> {

  private static final Set<HttpMethod> STATE_CHANGING =
      Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE);

  private final List<String> allowedOrigins;

  OriginCheck(EdgeSettings settings) {
    this.allowedOrigins = settings.allowedOrigins();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (STATE_CHANGING.contains(ctx.request().method()) && !allowed(ctx)) {
      refuse(ctx);
    } else {
      ctx.next();
    }
  }

  /** For every request to the bridge: a browser opening it from another origin is refused. */
  void anyMethod(RoutingContext ctx) {
    if (allowed(ctx)) {
      ctx.next();
    } else {
      refuse(ctx);
    }
  }

  private static void refuse(RoutingContext ctx) {
    ErrorBodies.send(ctx, 403, "Requests from a page of another origin are refused; see http.allowedOrigins.");
  }

  /** True without an {@code Origin}; else whether it is this node's own origin or an allowed one. */
  boolean allowed(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null) {
      return true;
    }
    String normalized = origin.trim().toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(normalized)) {
      return true;
    }
    HostAndPort own = HostCheck.requestHost(ctx);
    HostAndPort from = hostOf(normalized);
    return own != null && from != null
        && own.withDefaultPort(ctx.request().isSSL() ? 443 : 80).equals(from);
  }

  /** The host and port of an origin ({@code scheme://host[:port]}); null for {@code null} or garbage. */
  private static HostAndPort hostOf(String origin) {
    try {
      URI uri = new URI(origin);
      if (uri.getHost() == null || uri.getScheme() == null) {
        return null;
      }
      int defaultPort = "https".equals(uri.getScheme()) ? 443 : 80;
      String host = uri.getHost();
      HostAndPort parsed = HostAndPort.parse(uri.getPort() > 0 ? host + ":" + uri.getPort() : host);
      return parsed == null ? null : parsed.withDefaultPort(defaultPort);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
