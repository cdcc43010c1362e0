package dev.switchboard.app;

import dev.switchboard.contracts.TraceParent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * W3C Trace Context: the {@code traceparent} given on {@code POST /orders} is continued by every event
 * of the order, through every module, each event a step of its own in that one trace.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TracingTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";

  @TempDir
  Path dir;

  private TestNode node;

  @AfterEach
  void stopTheNode() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void a_trace_given_on_post_orders_is_found_on_every_event_of_the_order(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    String orderId = place("00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01");
    JsonArray events = node.awaitEvent(orderId, "NotificationSent");

    List<TraceParent> traces = traces(events);
    assertThat(traces).hasSize(5).allSatisfy(trace -> {
      assertThat(trace.traceId()).isEqualTo(TRACE_ID);
      assertThat(trace.flags()).isEqualTo("01");
    });
    assertThat(traces).extracting(TraceParent::parentId).doesNotHaveDuplicates().doesNotContain(CLIENT_SPAN);
  }

  @Test
  void an_order_placed_without_a_trace_gets_one_trace_of_its_own_and_an_invalid_one_is_replaced(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    String untraced = place(null);
    String badlyTraced = place("00-not-a-trace-01");

    List<TraceParent> first = traces(node.awaitEvent(untraced, "NotificationSent"));
    List<TraceParent> second = traces(node.awaitEvent(badlyTraced, "NotificationSent"));
    assertThat(first).extracting(TraceParent::traceId).containsOnly(first.get(0).traceId());
    assertThat(second).extracting(TraceParent::traceId).containsOnly(second.get(0).traceId());
    assertThat(first.get(0).traceId()).isNotEqualTo(second.get(0).traceId());
  }

  private String place(String traceparent) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (traceparent != null) {
      headers.add("traceparent", traceparent);
    }
    HttpResponse<Buffer> response = node.post("/orders", order("c-1", item("sku-1", 1, 10)).toBuffer(), headers);
    assertThat(response.statusCode()).isEqualTo(202);
    return response.bodyAsJsonObject().getString("orderId");
  }

  private static List<TraceParent> traces(JsonArray events) {
    return events.stream()
        .map(event -> TraceParent.parse(((JsonObject) event).getString("traceparent"))
            .orElseThrow(() -> new AssertionError("an event without a valid traceparent: " + event)))
        .toList();
  }
}
