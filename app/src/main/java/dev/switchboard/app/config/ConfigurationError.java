package dev.switchboard.app.config;

/** The configuration cannot be used; the message says which key or file, and why. */
public final class ConfigurationError extends RuntimeException {
  public ConfigurationError(String message) {
    super(message);
  }
}
