package dev.switchboard.app.http;

import java.util.Locale;

/**
 * A host and optional port as a {@code Host} header, an origin or a configured name writes them
 * ({@code name}, {@code name:port}, {@code [v6]}, {@code [v6]:port}), lower-cased, IPv6 without brackets.
 *
 * @param port -1 when none is given
 */
record HostAndPort(String host, int port) {

  /** Parses, or null for something that is no host (a bad port, unbalanced brackets). */
  static HostAndPort parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String value = text.trim().toLowerCase(Locale.ROOT);
    String host;
    String port = null;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = value.substring(1, close);
      String rest = value.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return null;
        }
        port = rest.substring(1);
      }
    } else {
      int colon = value.indexOf(':');
      if (colon >= 0 && colon == value.lastIndexOf(':')) {
        host = value.substring(0, colon);
        port = value.substring(colon + 1);
      } else {
        host = value; // a name, or a bare IPv6 address (many colons) as configuration may write it
      }
    }
    if (host.isEmpty()) {
      return null;
    }
    if (port == null) {
      return new HostAndPort(host, -1);
    }
    try {
      int number = Integer.parseInt(port);
      return number < 1 || number > 65_535 ? null : new HostAndPort(host, number);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether this configured name admits {@code actual}: same host, and same port if this one names one. */
  boolean admits(HostAndPort actual) {
    return host.equals(actual.host) && (port == -1 || port == actual.port);
  }

  HostAndPort withDefaultPort(int defaultPort) {
    return port == -1 ? new HostAndPort(host, defaultPort) : this;
  }
}
