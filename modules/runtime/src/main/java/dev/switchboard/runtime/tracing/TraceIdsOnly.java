package dev.switchboard.runtime.tracing;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.TraceParent;

import java.util.HexFormat;
import java.util.UUID;

/**
 * Trace context without export: an event's span id is drawn from its own id (random already, so
 * no second source of randomness is needed), and handling passes the event's context on as it is.
 */
final class TraceIdsOnly implements EventTracer {

  static final TraceIdsOnly INSTANCE = new TraceIdsOnly();
  private static final HexFormat HEX = HexFormat.of();

  private TraceIdsOnly() {
  }

  @Override
  public TraceParent created(UUID eventId, String type, String subject, TraceParent cause) {
    // the id's low 64 bits are the span's id; a new trace's id is the whole id (without its dashes)
    String spanId = HEX.toHexDigits(eventId.getLeastSignificantBits());
    return cause != null ? cause.child(spanId)
        : TraceParent.root(HEX.toHexDigits(eventId.getMostSignificantBits()) + spanId, spanId);
  }

  @Override
  public Handling handling(String consumer, EventEnvelope event) {
    TraceParent trace = event.trace().orElse(null);
    return new Handling() {
      @Override
      public TraceParent trace() {
        return trace;
      }

      @Override
      public void end(String outcome, Throwable failure) {
      }
    };
  }
}
