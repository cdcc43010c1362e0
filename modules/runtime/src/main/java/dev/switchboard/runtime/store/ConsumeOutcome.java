package dev.switchboard.runtime.store;

/** What committing a consumer's handling of an event did. */
public enum ConsumeOutcome {
  /** The effect and the inbox entry were written. */
  APPLIED,
  /** The inbox already held this event id: nothing was written, the event was handled before. */
  DUPLICATE
}
