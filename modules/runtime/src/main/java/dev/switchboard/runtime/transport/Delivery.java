package dev.switchboard.runtime.transport;

import dev.switchboard.runtime.store.DeadLetter;

import java.util.Optional;

/**
 * How one delivered message ended for its consumer. Every outcome is an acknowledgement: the message
 * was handled, was a duplicate, or is now safe in the dead letters. A transport that keeps its own
 * dead-letter queue forwards {@link #deadLetter()} there.
 */
public record Delivery(Outcome outcome, Optional<DeadLetter> deadLetter) {

  public enum Outcome { HANDLED, DUPLICATE, DEAD_LETTERED }

  public static Delivery handled() {
    return new Delivery(Outcome.HANDLED, Optional.empty());
  }

  public static Delivery duplicate() {
    return new Delivery(Outcome.DUPLICATE, Optional.empty());
  }

  public static Delivery deadLettered(DeadLetter letter) {
    return new Delivery(Outcome.DEAD_LETTERED, Optional.of(letter));
  }
}
