package dev.switchboard.app.security;

import dev.switchboard.app.config.ConfigurationError;

/** {@code security.mode}: who a node asks for credentials. */
public enum SecurityMode {
  /** Nobody is asked: every caller is {@link Caller#anonymous()}. Only for a listener on loopback. */
  NONE,
  /** Every caller but the open routes presents a bearer JWT. */
  JWT;

  static SecurityMode parse(String mode) {
    return switch (mode == null ? "" : mode) {
      case "none" -> NONE;
      case "jwt" -> JWT;
      default -> throw new ConfigurationError("security.mode must be none or jwt, was \"" + mode + "\"");
    };
  }
}
