package dev.switchboard.app.security;

/**
 * A token that does not authenticate its bearer. The message is safe to show the client: it says
 * what is wrong with the token, never the token nor our keys.
 */
public final class NotAuthenticated extends RuntimeException {
  public NotAuthenticated(String message) {
    super(message, null, false, false);
  }
}
