package dev.switchboard.runtime.tracing;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.TraceParent;

import java.util.UUID;

/**
 * Where the trace context of events comes from, and where the spans of their handling go.
 *
 * <p>The default, {@link #idsOnly()}, only keeps the W3C ids moving: every event continues its
 * cause's trace with a span id of its own, and nothing is exported. An exporting tracer
 * (OpenTelemetry, chosen by {@code tracing.export}) records a span for every event created and
 * for every handling of one, so that one order's path through the modules is one trace in the
 * collector. Module code never sees which one is in use.
 */
public interface EventTracer {

  /**
   * The trace context of a new event: its own span, a child of {@code cause} (a new trace when
   * there is none).
   */
  TraceParent created(UUID eventId, String type, String subject, TraceParent cause);

  /**
   * Starts the span of {@code consumer} handling {@code event}. Events caused by the handling are
   * children of this span, so its context is what the handler passes on.
   */
  Handling handling(String consumer, EventEnvelope event);

  /** One handling of one event, to be ended once it is acknowledged, whatever the outcome. */
  interface Handling {

    /** The context the events this handling causes continue (the event's own when nothing is exported). */
    TraceParent trace();

    /** @param outcome how the delivery ended (handled, duplicate, dead_lettered); failure is null unless it failed */
    void end(String outcome, Throwable failure);
  }

  /** Keeps the ids moving and exports nothing. */
  static EventTracer idsOnly() {
    return TraceIdsOnly.INSTANCE;
  }
}
