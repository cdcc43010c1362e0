package dev.switchboard.runtime.tracing;

import dev.switchboard.contracts.TraceParent;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Trace ids drawn from event ids, when no tracer is configured. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TraceIdsOnlyTest {

  private static final UUID EVENT = UUID.fromString("01a25089-3874-759b-9a0f-79e49dfd52b1");

  @Test
  void an_event_without_a_cause_starts_a_trace_named_by_its_id_and_is_its_first_span() {
    TraceParent trace = TraceIdsOnly.INSTANCE.created(EVENT, "OrderPlaced", "o-1", null);

    assertThat(trace.toString()).isEqualTo("00-01a250893874759b9a0f79e49dfd52b1-9a0f79e49dfd52b1-01");
  }

  @Test
  void an_event_with_a_cause_continues_its_trace_as_a_span_named_by_its_id() {
    TraceParent cause = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").orElseThrow();

    TraceParent trace = TraceIdsOnly.INSTANCE.created(EVENT, "StockReserved", "o-1", cause);

    assertThat(trace.toString()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-9a0f79e49dfd52b1-00");
  }

  @Test
  void ids_with_leading_zeros_keep_their_width() {
    UUID small = new UUID(1, 2);

    TraceParent trace = TraceIdsOnly.INSTANCE.created(small, "OrderPlaced", "o-1", null);

    assertThat(trace.toString()).isEqualTo("00-00000000000000010000000000000002-0000000000000002-01");
    assertThat(TraceParent.parse(trace.toString())).contains(trace);
  }
}
