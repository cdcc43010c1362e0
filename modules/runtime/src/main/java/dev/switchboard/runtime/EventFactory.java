package dev.switchboard.runtime;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Wraps event data in envelopes. The clock and the id source are given, not hidden, so that tests
 * are deterministic.
 */
public final class EventFactory {

  /** What caused an event: the saga it belongs to and the event or request that led to it. */
  public record Cause(String correlationId, String causationId) {

    /** An event caused by another event carries that event's correlation on. */
    public static Cause of(EventEnvelope cause) {
      String correlation = cause.correlationid() != null ? cause.correlationid() : cause.subject();
      return new Cause(correlation, cause.id());
    }
  }

  private final Clock clock;
  private final Supplier<UUID> ids;

  public EventFactory(Clock clock, Supplier<UUID> ids) {
    this.clock = clock;
    this.ids = ids;
  }

  public static EventFactory system() {
    return new EventFactory(Clock.systemUTC(), UUID::randomUUID);
  }

  /** An envelope for any event record of the catalog; its type follows from the record's class. */
  public EventEnvelope create(Record data, String subject, Cause cause) {
    return create(EventCatalog.typeOf(data), subject, data, cause);
  }

  public <T extends Record> EventEnvelope create(EventType<T> type, String subject, T data, Cause cause) {
    return new EventEnvelope(
        ids.get().toString(),
        type.name(),
        type.source(),
        subject,
        clock.instant().toString(),
        type.dataschema(),
        type.version(),
        0,
        cause.correlationId(),
        cause.causationId(),
        EventData.encode(data));
  }

  public Clock clock() {
    return clock;
  }

  public String newId() {
    return ids.get().toString();
  }
}
