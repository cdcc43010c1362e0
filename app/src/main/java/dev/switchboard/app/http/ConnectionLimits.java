package dev.switchboard.app.http;

import dev.switchboard.runtime.logging.IntervalLog;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds the server's connections to {@link HttpLimits}: at most {@code maxConnections} open (one
 * more is closed as it opens), and a connection that has no request in flight and delivers no new
 * request's headers for a whole {@code headerTimeoutSeconds} is closed (so within one to two such
 * periods of opening or of its last answer). The idle timeout alone would not do: a client that
 * sends one byte of a header every few seconds is never idle. A WebSocket (the SockJS bridge) is
 * left to the idle timeout, which its heartbeats satisfy. Used on the HTTP server's event loop only.
 */
final class ConnectionLimits {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);

  private final Vertx vertx;
  private final HttpLimits limits;
  private final Map<HttpConnection, Open> open = new HashMap<>();
  private final IntervalLog refusals = new IntervalLog(LOG, Duration.ofSeconds(10));
  private final IntervalLog slowHeaders = new IntervalLog(LOG, Duration.ofSeconds(10));

  /**
   * A connection's answers not yet sent, and whether a request came since the last check. Answers are
   * looked at when the timer fires rather than followed by an end handler: the router sets its own.
   */
  private static final class Open {
    final List<HttpServerResponse> inFlight = new ArrayList<>();
    boolean busySinceCheck;
    long timer = -1;
  }

  ConnectionLimits(Vertx vertx, HttpLimits limits) {
    this.vertx = vertx;
    this.limits = limits;
  }

  void opened(HttpConnection connection) {
    if (open.size() >= limits.maxConnections()) {
      refusals.warn("closed a new HTTP connection at once: http.maxConnections are open", remote(connection));
      connection.close();
      return;
    }
    Open state = new Open();
    open.put(connection, state);
    connection.closeHandler(closed -> {
      Open gone = open.remove(connection);
      if (gone != null) {
        vertx.cancelTimer(gone.timer);
      }
    });
    state.timer = vertx.setPeriodic(limits.headerTimeoutSeconds() * 1000L, fired -> check(connection, state));
  }

  /** A request's headers arrived on a connection. */
  void requestArrived(HttpServerRequest request) {
    Open state = open.get(request.connection());
    if (state == null) {
      return;
    }
    if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      vertx.cancelTimer(state.timer);
      return;
    }
    state.busySinceCheck = true;
    state.inFlight.add(request.response());
  }

  int openConnections() {
    return open.size();
  }

  private void check(HttpConnection connection, Open state) {
    state.inFlight.removeIf(response -> response.ended() || response.closed());
    if (state.busySinceCheck || !state.inFlight.isEmpty()) {
      state.busySinceCheck = false;
      return;
    }
    vertx.cancelTimer(state.timer);
    slowHeaders.warn("closed an HTTP connection that sent no complete request within http.headerTimeoutSeconds",
        remote(connection));
    connection.close();
  }

  private static String remote(HttpConnection connection) {
    return connection.remoteAddress() == null ? "an unknown address" : connection.remoteAddress().host();
  }
}
