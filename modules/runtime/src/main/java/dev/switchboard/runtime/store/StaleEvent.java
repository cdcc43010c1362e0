package dev.switchboard.runtime.store;

/**
 * An event older than one this consumer already applied from the same stream. Applying it would
 * break per-order ordering, so it is routed to the dead letters instead.
 */
public final class StaleEvent extends RuntimeException {
  public StaleEvent(String message) {
    super(message);
  }
}
