package dev.switchboard.app.tracing;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.TraceParent;
import dev.switchboard.runtime.tracing.EventTracer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import java.util.UUID;

/**
 * Events as OpenTelemetry messaging spans: creating an event is a {@code PRODUCER} span whose
 * context the event carries ({@code "<Type> create"}), handling it is a {@code CONSUMER} span, a
 * child of that ({@code "<Type> process"}), and what the handling causes is created under the
 * handling span. So one order is one tree: the caller's span, OrderPlaced created, processed by
 * inventory, StockReserved created, and so on, whichever transport carried the events.
 */
final class OpenTelemetryEventTracer implements EventTracer {

  private final Tracer tracer;

  OpenTelemetryEventTracer(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public TraceParent created(UUID eventId, String type, String subject, TraceParent cause) {
    Span span = tracer.spanBuilder(type + " create")
        .setSpanKind(SpanKind.PRODUCER)
        .setParent(parent(cause))
        .setAttribute("messaging.operation.type", "create")
        .setAttribute("messaging.message.id", eventId.toString())
        .setAttribute("switchboard.event.type", type)
        .setAttribute("switchboard.event.subject", subject)
        .startSpan();
    // the event exists from here on; its travels are the spans of its handling
    span.end();
    return traceParentOf(span.getSpanContext());
  }

  @Override
  public Handling handling(String consumer, EventEnvelope event) {
    Span span = tracer.spanBuilder(event.type() + " process")
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(parent(event.trace().orElse(null)))
        .setAttribute("messaging.operation.type", "process")
        .setAttribute("messaging.consumer.group.name", consumer)
        .setAttribute("messaging.message.id", event.id())
        .setAttribute("messaging.message.conversation_id", event.correlationid() == null ? "" : event.correlationid())
        .setAttribute("switchboard.event.type", event.type())
        .setAttribute("switchboard.event.subject", event.subject())
        .startSpan();
    TraceParent trace = traceParentOf(span.getSpanContext());
    return new Handling() {
      @Override
      public TraceParent trace() {
        return trace;
      }

      @Override
      public void end(String outcome, Throwable failure) {
        span.setAttribute("switchboard.outcome", outcome);
        if (failure != null) {
          span.recordException(failure);
          span.setStatus(StatusCode.ERROR, failure.toString());
        } else if (outcome.contains("dead_lettered")) {
          span.setStatus(StatusCode.ERROR, "dead-lettered");
        }
        span.end();
      }
    };
  }

  private static Context parent(TraceParent trace) {
    if (trace == null) {
      return Context.root();
    }
    SpanContext remote = SpanContext.createFromRemoteParent(trace.traceId(), trace.parentId(),
        TraceFlags.fromHex(trace.flags(), 0), TraceState.getDefault());
    return Context.root().with(Span.wrap(remote));
  }

  private static TraceParent traceParentOf(SpanContext context) {
    return new TraceParent(context.getTraceId(), context.getSpanId(), context.getTraceFlags().asHex());
  }
}
