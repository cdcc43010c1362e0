package dev.switchboard.app;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code tracing.export=otlp}, one order's path is one trace in the collector: every event is
 * a span ({@code "<Type> create"}) whose context the event carries, every handling of it a span
 * under it ({@code "<Type> process"}), and what a handling causes is created under the handling,
 * up to the caller's span given on {@code POST /orders}. Spans still queued are flushed when the
 * node stops.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TraceExportTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";
  private static final HexFormat HEX = HexFormat.of();

  @TempDir
  Path dir;

  private OtlpCollector collector;
  private TestNode node;

  @BeforeEach
  void startTheCollector(Vertx vertx) {
    collector = OtlpCollector.start(vertx);
  }

  @AfterEach
  void stopEverything() {
    if (node != null) {
      node.stop();
    }
    collector.close();
  }

  @Test
  void one_order_is_one_tree_of_spans_from_the_callers_span_through_every_module(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("tracing", new JsonObject()
        .put("export", "otlp").put("serviceName", "switchboard-test")
        .put("otlp", new JsonObject().put("endpoint", collector.endpoint())))));

    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01");
    String orderId = node.post("/orders", order("c-1", item("sku-1", 1, 10)).toBuffer(), headers)
        .bodyAsJsonObject().getString("orderId");
    JsonArray events = node.awaitEvent(orderId, "NotificationSent");
    node.stop();
    node = null;

    List<Span> trace = collector.spans().stream().filter(span -> hex(span.getTraceId()).equals(TRACE_ID)).toList();
    Map<String, Span> byId = trace.stream().collect(Collectors.toMap(span -> hex(span.getSpanId()), Function.identity()));
    assertThat(collector.serviceNames()).contains("switchboard-test");

    // every event of the order carries the context of its own create span
    assertThat(events).hasSize(5);
    for (Object item : events) {
      JsonObject event = (JsonObject) item;
      String spanId = event.getString("traceparent").split("-")[2];
      Span created = byId.get(spanId);
      assertThat(created).as("the create span of %s", event.getString("type")).isNotNull();
      assertThat(created.getName()).isEqualTo(event.getString("type") + " create");
      assertThat(created.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
      assertThat(attribute(created, "messaging.message.id")).isEqualTo(event.getString("id"));
    }

    // the tree: OrderPlaced under the caller's span, each later event under a handling of its cause
    Span placed = createSpanOf(events, "OrderPlaced", byId);
    assertThat(hex(placed.getParentSpanId())).isEqualTo(CLIENT_SPAN);
    for (String type : List.of("StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent")) {
      Span handling = byId.get(hex(createSpanOf(events, type, byId).getParentSpanId()));
      assertThat(handling).as("the handling that created %s", type).isNotNull();
      assertThat(handling.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CONSUMER);
      assertThat(handling.getName()).endsWith(" process");
      assertThat(attribute(handling, "switchboard.outcome")).isEqualTo("handled");
      Span handled = byId.get(hex(handling.getParentSpanId()));
      assertThat(handled).as("the event %s handled", handling.getName()).isNotNull();
      assertThat(handled.getName()).isEqualTo(handling.getName().replace(" process", " create"));
    }
    // and nothing of the order's trace hangs loose
    Set<String> known = byId.keySet();
    assertThat(trace).allSatisfy(span ->
        assertThat(hex(span.getParentSpanId())).isIn(Set.copyOf(union(known, CLIENT_SPAN))));
  }

  @Test
  void with_export_off_no_span_leaves_the_node(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("tracing", new JsonObject()
        .put("otlp", new JsonObject().put("endpoint", collector.endpoint())))));

    node.awaitFinal(node.place(order("c-1", item("sku-1", 1, 10))));
    node.stop();
    node = null;

    assertThat(collector.spans()).isEmpty();
  }

  private static Span createSpanOf(JsonArray events, String type, Map<String, Span> byId) {
    JsonObject event = events.stream().map(JsonObject.class::cast).filter(e -> e.getString("type").equals(type))
        .findFirst().orElseThrow(() -> new AssertionError("no " + type + " in " + events));
    return byId.get(event.getString("traceparent").split("-")[2]);
  }

  private static List<String> union(Set<String> ids, String more) {
    return java.util.stream.Stream.concat(ids.stream(), java.util.stream.Stream.of(more)).toList();
  }

  private static String attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(attribute -> attribute.getKey().equals(key))
        .map(KeyValue::getValue).map(value -> value.getStringValue()).findFirst().orElse(null);
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }
}
