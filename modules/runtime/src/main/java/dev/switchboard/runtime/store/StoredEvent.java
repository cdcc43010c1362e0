package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.contracts.InvalidEnvelope;

import java.util.Objects;

/**
 * An event as the store holds it: its envelope and its position in the global log.
 *
 * <p>Positions grow in commit order, so "every event after position P" never skips one that
 * commits late. An event that arrived from a broker and was not read from our log has position 0.
 *
 * <p>One stored event is handed to every reader on the node that wants it (the node's feed of
 * committed events), so its data is decoded once, by the first reader that asks, and the record
 * shared: event records are immutable.
 */
public final class StoredEvent {

  private final long position;
  private final EventEnvelope envelope;
  /** The data as the last reader asked for it; written by whichever reader gets there, read by all. */
  private volatile Decoded decoded;
  /** Named at the first ask: every consumer's marks and the store's writer ask for it. */
  private String streamId;

  /**
   * @param upcasters null when the envelope is of its type's newest version: no upcaster changes it then
   */
  private record Decoded(EventType<?> type, EventUpcasters upcasters, Record data) {
  }

  public StoredEvent(long position, EventEnvelope envelope) {
    this.position = position;
    this.envelope = Objects.requireNonNull(envelope, "envelope");
  }

  public long position() {
    return position;
  }

  public EventEnvelope envelope() {
    return envelope;
  }

  public String streamId() {
    String named = streamId;
    if (named == null) {
      named = Streams.of(envelope); // two threads may both name it: the same text, and a String is safely shared
      streamId = named;
    }
    return named;
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

  /**
   * Whether a consumer's place in the event's stream says if it handled the event, with no inbox
   * entry: true for an event read from the log at a place in its stream. A consumer reads the log in
   * order and takes each subject's events one after another (a stream's events share its subject:
   * {@link Streams#of(EventEnvelope)}), so it has handled such an event exactly when it has reached
   * the event's sequence in its stream (committed with the effect). An event from a broker may come
   * again after a later one of its stream: its id in the inbox tells instead.
   */
  public boolean handledIsKnownByItsStream() {
    return readFromLog() && envelope.sequence() > 0;
  }

  /**
   * The event's data as a record of the newest shape of {@code type}, as {@link EventUpcasters#decode}
   * reads it; decoded once for all the readers that ask with the same upcasters (or with any, for an
   * event already in its newest shape).
   */
  public <T extends Record> T data(EventUpcasters upcasters, EventType<T> type) {
    EventUpcasters needed = envelope.dataversion() < type.version() ? upcasters : null;
    Decoded known = decoded;
    if (known != null && known.type() == type && known.upcasters() == needed) {
      return type.dataClass().cast(known.data());
    }
    T data = upcasters.decode(envelope, type);
    decoded = new Decoded(type, needed, data);
    return data;
  }

  /**
   * The event's data as a record of the newest shape of its catalog type, as
   * {@link EventUpcasters#decode(EventEnvelope)} reads it, shared as {@link #data(EventUpcasters, EventType)}
   * shares it: a module replaying a stream (the saga, a reservation) reads the same record its
   * consumers and projections read, not one decoded again for it.
   *
   * @throws InvalidEnvelope if the catalog knows no such type
   */
  public Record data(EventUpcasters upcasters) {
    return data(upcasters, EventCatalog.typeOfEvent(envelope));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredEvent that && position == that.position && envelope.equals(that.envelope);
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, envelope);
  }

  @Override
  public String toString() {
    return "StoredEvent[position=" + position + ", envelope=" + envelope + "]";
  }
}
