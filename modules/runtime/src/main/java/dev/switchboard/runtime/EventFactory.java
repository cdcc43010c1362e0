package dev.switchboard.runtime;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.TraceParent;
import dev.switchboard.runtime.tracing.EventTracer;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Wraps event data in envelopes. The clock and the id source are given, not hidden, so that tests
 * are deterministic.
 */
public final class EventFactory {

  /**
   * What caused an event: the saga it belongs to, the event or request that led to it, and the
   * trace it continues (none: a new trace starts).
   */
  public record Cause(String correlationId, String causationId, TraceParent trace) {

    public Cause(String correlationId, String causationId) {
      this(correlationId, causationId, null);
    }

    /** An event caused by another event carries that event's correlation and trace on. */
    public static Cause of(EventEnvelope cause) {
      String correlation = cause.correlationid() != null ? cause.correlationid() : cause.subject();
      return new Cause(correlation, cause.id(), cause.trace().orElse(null));
    }
  }

  private final Clock clock;
  private final Supplier<UUID> ids;
  private final EventTracer tracer;

  public EventFactory(Clock clock, Supplier<UUID> ids) {
    this(clock, ids, EventTracer.idsOnly());
  }

  public EventFactory(Clock clock, Supplier<UUID> ids, EventTracer tracer) {
    this.clock = clock;
    this.ids = ids;
    this.tracer = tracer;
  }

  public static EventFactory system() {
    return system(EventTracer.idsOnly());
  }

  /**
   * Ids are version 7 UUIDs: time-ordered, so that the indexes they key (the log's event ids, the
   * inboxes, aggregate streams, read models) grow at their ends rather than at random pages. A
   * random UUID dirties a different index page with every insert, which made the embedded store
   * write several times more and commit half as many orders per second.
   */
  public static EventFactory system(EventTracer tracer) {
    TimeBasedEpochGenerator timeOrdered = Generators.timeBasedEpochGenerator();
    return new EventFactory(Clock.systemUTC(), timeOrdered::generate, tracer);
  }

  /** An envelope for any event record of the catalog; its type follows from the record's class. */
  public EventEnvelope create(Record data, String subject, Cause cause) {
    return create(EventCatalog.typeOf(data), subject, data, cause);
  }

  public <T extends Record> EventEnvelope create(EventType<T> type, String subject, T data, Cause cause) {
    UUID id = ids.get();
    // the event is a step (a span) of the trace that caused it
    TraceParent trace = tracer.created(id, type.name(), subject, cause.trace());
    return new EventEnvelope(
        id.toString(),
        type.name(),
        type.source(),
        subject,
        clock.instant().toString(),
        type.dataschema(),
        type.version(),
        0,
        cause.correlationId(),
        cause.causationId(),
        EventData.encode(data),
        trace.toString());
  }

  /** Where the spans of handling events go: the same tracer as the events' own. */
  public EventTracer tracer() {
    return tracer;
  }

  public Clock clock() {
    return clock;
  }

  public String newId() {
    return ids.get().toString();
  }
}
