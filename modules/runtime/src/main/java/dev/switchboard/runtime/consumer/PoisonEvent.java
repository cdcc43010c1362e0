package dev.switchboard.runtime.consumer;

/**
 * Thrown (or failed with) by a handler for an event that can never be handled, however often it is
 * tried: it goes to the dead letters at once, without retries.
 */
public final class PoisonEvent extends RuntimeException {
  public PoisonEvent(String message) {
    super(message);
  }
}
