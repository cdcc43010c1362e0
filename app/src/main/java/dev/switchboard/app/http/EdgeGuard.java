package dev.switchboard.app.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * What stands between the network and the router: the server's timeouts, the connection cap and the
 * header deadline ({@link ConnectionLimits}), a rate limit per client ({@link ClientRateLimits},
 * {@code 429} with {@code Retry-After}), and the {@link SecurityHeaders} on every answer.
 */
final class EdgeGuard {

  private final HttpLimits limits;
  private final ConnectionLimits connections;
  private final ClientRateLimits rates;

  EdgeGuard(Vertx vertx, JsonObject http) {
    this.limits = HttpLimits.from(http);
    this.connections = new ConnectionLimits(vertx, limits);
    this.rates = new ClientRateLimits(limits.requestsPerSecond(), limits.burst(), System::nanoTime);
  }

  /**
   * The server's options with the guard's timeouts: a connection idle this long is closed. HTTP/2 over
   * clear text stays off: its upgrade check hands the connection handler a provisional connection
   * that Vert.x closes at once, which would defeat the count of open connections (HTTP/2 comes with
   * TLS, by ALPN).
   */
  HttpServerOptions serverOptions() {
    return new HttpServerOptions().setIdleTimeout(limits.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(false);
  }

  /** Puts the guard in front of {@code next} on {@code server}. */
  HttpServer guard(HttpServer server, Handler<HttpServerRequest> next) {
    return server.connectionHandler(connections::opened).requestHandler(request -> handle(request, next));
  }

  private void handle(HttpServerRequest request, Handler<HttpServerRequest> next) {
    connections.requestArrived(request);
    SecurityHeaders.addTo(request.response());
    String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
    if (limits.rateLimited() && !rates.tryTake(client)) {
      request.response().setStatusCode(429)
          .putHeader("Retry-After", Long.toString(rates.secondsUntilNextToken(client)))
          .putHeader("Content-Type", ErrorBodies.JSON)
          .end(new JsonObject().put("error", "Too many requests from this client; slow down and try again later.")
              .encode());
      return;
    }
    next.handle(request);
  }
}
