package dev.switchboard.runtime.store;

/** What committing a consumer's handling of an event did. */
public enum ConsumeOutcome {
  /** The effect and the consumer's progress (its place in the event's stream, its inbox entry) were written. */
  APPLIED,
  /** The event was handled before: nothing was written. */
  DUPLICATE
}
