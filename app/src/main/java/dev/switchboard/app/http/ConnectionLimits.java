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
 * periods of opening or of its last answer), as is one whose request body is still arriving a whole
 * such period after its headers. The idle timeout alone would not do: a client that
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
   * A connection's requests not yet answered, and whether a request came since the last check.
   * Answers are looked at when the timer fires and when the connection's next request arrives,
   * rather than followed by an end handler (the router sets its own). Looking only when the timer
   * fired kept every request a keep-alive connection served for up to a whole period, with its
   * routing context, headers and body: under load tens of thousands of them, which every young
   * collection copied and then promoted.
   */
  private static final class Open {
    final List<InFlight> inFlight = new ArrayList<>();
    boolean busySinceCheck;
    long timer = -1;
  }

  /** A request not yet answered; {@code checked} once a check has seen it. */
  private static final class InFlight {
    final HttpServerRequest request;
    boolean checked;

    InFlight(HttpServerRequest request) {
      this.request = request;
    }

    boolean answered() {
      return request.response().ended() || request.response().closed();
    }
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
    state.inFlight.removeIf(InFlight::answered);
    state.inFlight.add(new InFlight(request));
  }

  int openConnections() {
    return open.size();
  }

  /** Requests held across all connections: those not yet answered, and answered ones not yet let go. */
  int requestsHeld() {
    return open.values().stream().mapToInt(state -> state.inFlight.size()).sum();
  }

  private void check(HttpConnection connection, Open state) {
    state.inFlight.removeIf(InFlight::answered);
    // a body still arriving a whole period after its headers: a request trickled to hold the socket
    boolean bodyTrickling = state.inFlight.stream().anyMatch(r -> r.checked && !r.request.isEnded());
    if (!bodyTrickling && (state.busySinceCheck || !state.inFlight.isEmpty())) {
      state.inFlight.forEach(r -> r.checked = true);
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
