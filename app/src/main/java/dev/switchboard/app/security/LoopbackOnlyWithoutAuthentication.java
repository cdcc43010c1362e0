package dev.switchboard.app.security;

import dev.switchboard.app.config.ConfigurationError;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The rule of DESIGN §1.2: a node that asks no credentials listens on loopback only. Anywhere else
 * (another interface, every interface, a name that DNS resolves) anyone who reaches the port could
 * place orders for anyone and replay dead letters, so such a node refuses to start.
 */
public final class LoopbackOnlyWithoutAuthentication {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private LoopbackOnlyWithoutAuthentication() {
  }

  /** @throws ConfigurationError if {@code host} is not loopback while the mode asks no credentials */
  public static void check(String host, SecurityMode mode) {
    if (mode == SecurityMode.NONE && !isLoopback(host)) {
      throw new ConfigurationError("http.host is \"" + host + "\", which is not a loopback address, and"
          + " security.mode is none: anyone who reaches this port could act as any customer and as an"
          + " operator. Set http.host to 127.0.0.1 (or ::1, localhost), or set security.mode to jwt and"
          + " configure security.jwt (see the README, Security).");
    }
  }

  /**
   * Whether the listener host is loopback. Only "localhost" and address literals are judged: any
   * other name is taken as exposed, since what it resolves to is up to DNS (and resolving would block).
   */
  static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (literal.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4.matcher(literal).matches() && !literal.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(literal).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
