package dev.switchboard.contracts;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TraceParentTest {

  private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void a_valid_traceparent_is_read_and_written_back_unchanged() {
    TraceParent trace = TraceParent.parse(VALID).orElseThrow();

    assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(trace.parentId()).isEqualTo("00f067aa0ba902b7");
    assertThat(trace.flags()).isEqualTo("01");
    assertThat(trace.toString()).isEqualTo(VALID);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "garbage", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-011", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01", "00-4bf92f3577b34da6a3ce929d0e0e47-3600f067aa0ba902b7-01"})
  void anything_else_is_no_trace(String value) {
    assertThat(TraceParent.parse(value)).isEmpty();
  }

  @Test
  void blanks_around_a_valid_traceparent_are_left_out() {
    assertThat(TraceParent.parse(" " + VALID + "\t").map(TraceParent::toString)).contains(VALID);
    assertThat(TraceParent.validated(" " + VALID)).isEqualTo(VALID);
  }

  @Test
  void a_trace_knows_itself_written_out_and_nothing_else() {
    TraceParent trace = TraceParent.parse(VALID).orElseThrow();

    assertThat(trace.isWrittenAs(VALID)).isTrue();
    assertThat(trace.isWrittenAs(trace.child("1111111111111111").toString())).isFalse();
    assertThat(trace.isWrittenAs(VALID.replace("-01", "-00"))).isFalse();
    assertThat(trace.isWrittenAs(VALID.replace("4bf9", "4bf8"))).isFalse();
    assertThat(trace.isWrittenAs(" " + VALID)).isFalse();
    assertThat(trace.isWrittenAs(null)).isFalse();
  }

  @Test
  void a_child_keeps_the_trace_and_the_flags_with_a_new_parent() {
    TraceParent child = TraceParent.parse(VALID).orElseThrow().child("1111111111111111");

    assertThat(child.toString()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01");
  }

  @Test
  void the_envelope_carries_its_trace_through_json_and_drops_an_invalid_one() {
    JsonObject json = new JsonObject().put("specversion", "1.0").put("id", "e-1").put("type", "OrderPlaced")
        .put("source", "/orders").put("subject", "o-1").put("time", "2030-01-01T00:00:00Z")
        .put("data", new JsonObject()).put("traceparent", VALID);

    EventEnvelope traced = EventEnvelope.fromJson(json);
    EventEnvelope untraced = EventEnvelope.fromJson(json.copy().put("traceparent", "nonsense"));

    assertThat(traced.traceparent()).isEqualTo(VALID);
    assertThat(traced.toJson().getString("traceparent")).isEqualTo(VALID);
    assertThat(traced.withSequence(3).traceparent()).isEqualTo(VALID);
    assertThat(untraced.traceparent()).isNull();
    assertThat(untraced.toJson().containsKey("traceparent")).isFalse();
  }
}
