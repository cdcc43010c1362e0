package dev.switchboard.app.http;

import io.vertx.core.http.HttpServerResponse;

/**
 * Headers on every answer, the live page's included: it may not be framed by another site
 * (clickjacking), a browser may not guess a type other than the one sent, the page may load and
 * connect to nothing but this node (its scripts, styles and SockJS bridge are all served here, and it
 * has no inline script or style), and no address of ours leaks to other sites as a referrer.
 */
final class SecurityHeaders {

  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:", // the page's empty favicon is a data: URL
      "connect-src 'self'",   // the SockJS bridge, on this node
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'");

  private SecurityHeaders() {
  }

  static void addTo(HttpServerResponse response) {
    response.putHeader("X-Frame-Options", "DENY")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("Referrer-Policy", "no-referrer");
  }
}
