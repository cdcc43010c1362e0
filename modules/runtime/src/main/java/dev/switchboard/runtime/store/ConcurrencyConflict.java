package dev.switchboard.runtime.store;

/**
 * Someone else wrote the stream or document first. The caller reloads and decides again, or gives up.
 */
public final class ConcurrencyConflict extends RuntimeException {
  public ConcurrencyConflict(String message) {
    super(message);
  }
}
