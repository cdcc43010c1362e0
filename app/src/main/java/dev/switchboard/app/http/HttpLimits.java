package dev.switchboard.app.http;

import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

/**
 * What the HTTP edge grants one connection and one client ({@code http.*}), so that a slow, greedy
 * or hostile caller cannot hold the node's sockets or starve other callers.
 *
 * @param idleTimeoutSeconds   a connection with nothing read or written for this long is closed
 * @param headerTimeoutSeconds a connection must send a request's complete headers within this long of
 *                             opening (or of its previous answer), or it is closed: a half-sent
 *                             request, however slowly it trickles, holds no socket for ever
 * @param maxConnections       connections open at once; one more is closed as soon as it opens
 * @param requestsPerSecond    the steady rate each client (remote address) may send; 0 turns the
 *                             rate limit off
 * @param burst                requests a client may send at once above that rate
 */
record HttpLimits(int idleTimeoutSeconds, int headerTimeoutSeconds, int maxConnections, double requestsPerSecond,
                  int burst) {

  /** Reads the limits of {@code http} ({@code config/default.json} gives every key its default). */
  static HttpLimits from(JsonObject http) {
    ConfigSection section = ConfigSection.of("http", http);
    ConfigSection rate = section.section("rateLimit");
    HttpLimits limits = new HttpLimits(section.integer("idleTimeoutSeconds"),
        section.integer("headerTimeoutSeconds"), section.integer("maxConnections"),
        rate.number("requestsPerSecond").doubleValue(), rate.integer("burst"));
    limits.check();
    return limits;
  }

  boolean rateLimited() {
    return requestsPerSecond > 0;
  }

  private void check() {
    if (idleTimeoutSeconds < 1 || headerTimeoutSeconds < 1 || maxConnections < 1 || requestsPerSecond < 0
        || (requestsPerSecond > 0 && burst < 1)) {
      throw new IllegalArgumentException("http limits must be positive (the rate limit may be 0, off): " + this);
    }
  }
}
