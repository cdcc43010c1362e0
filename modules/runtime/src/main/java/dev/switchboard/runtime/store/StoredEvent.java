package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventEnvelope;

/**
 * An event as the store holds it: its envelope and its position in the global log.
 *
 * <p>Positions grow in commit order, so "every event after position P" never skips one that
 * commits late. An event that arrived from a broker and was not read from our log has position 0.
 */
public record StoredEvent(long position, EventEnvelope envelope) {

  public String streamId() {
    return Streams.of(envelope);
  }

  public String id() {
    return envelope.id();
  }

  public String type() {
    return envelope.type();
  }

  /** Whether the event was read from our log, and so was checked against its schema on the way in. */
  public boolean readFromLog() {
    return position > 0;
  }
}
