package dev.switchboard.runtime.store;

/**
 * The store refused a write because of what it was asked to keep (a NUL character in a text, a
 * number out of range, a constraint the value breaks): unlike {@link StoreUnavailable} it fails the
 * same way however often it is tried, so a consumer dead-letters the event at once.
 */
public final class RefusedByStore extends RuntimeException {
  public RefusedByStore(String message, Throwable cause) {
    super(message, cause);
  }
}
