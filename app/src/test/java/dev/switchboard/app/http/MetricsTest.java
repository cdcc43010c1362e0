package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics}: Prometheus text, and the series move as events flow and fail. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MetricsTest {

  private static final int ORDERS = 3;

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
  void after_n_orders_the_counters_say_n_and_the_backlogs_and_lags_drain_to_zero(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    for (int i = 0; i < ORDERS; i++) {
      String orderId = node.place(order("customer-" + i, item("sku-1", 1, 10)));
      node.awaitFinal(orderId);
      node.awaitEvent(orderId, "NotificationSent");
    }

    String metrics = TestNode.poll("the gauges to show everything caught up", this::scrape, text ->
        value(text, "switchboard_outbox_backlog", "").orElse(-1.0) == 0
            && value(text, "switchboard_projection_lag", "projection=\"orders\"").orElse(-1.0) == 0
            && value(text, "switchboard_consumer_lag", "consumer=\"notifications\",transport=\"local\"").orElse(-1.0) == 0
            && value(text, "switchboard_events_published_total", "transport=\"local\",type=\"NotificationSent\"")
                .orElse(0.0) == ORDERS
            && value(text, "switchboard_saga_instances", "saga=\"order\",state=\"CONFIRMED\"").orElse(0.0) == ORDERS);

    assertThat(value(metrics, "switchboard_events_appended_total", "type=\"OrderPlaced\"")).contains((double) ORDERS);
    assertThat(value(metrics, "switchboard_events_appended_total", "type=\"OrderConfirmed\"")).contains((double) ORDERS);
    assertThat(value(metrics, "switchboard_events_published_total", "transport=\"local\",type=\"OrderPlaced\""))
        .contains((double) ORDERS);
    assertThat(value(metrics, "switchboard_events_handled_total",
        "consumer=\"payments\",outcome=\"handled\",type=\"StockReserved\"")).contains((double) ORDERS);
    assertThat(value(metrics, "switchboard_handler_duration_seconds_count",
        "consumer=\"inventory\",type=\"OrderPlaced\"")).contains((double) ORDERS);
    assertThat(metrics).contains("switchboard_handler_duration_seconds_bucket{consumer=\"inventory\"");
    assertThat(value(metrics, "switchboard_outbox_oldest_age_seconds", "")).contains(0.0);
    assertThat(value(metrics, "switchboard_log_head", "")).hasValueSatisfying(head -> assertThat(head).isPositive());
    assertThat(value(metrics, "switchboard_saga_instances", "saga=\"order\",state=\"PENDING\"")).contains(0.0);
    assertThat(value(metrics, "switchboard_saga_instances", "saga=\"order\",state=\"CANCELLED\"")).contains(0.0);
  }

  @Test
  void an_event_a_handler_cannot_take_shows_in_the_dead_letter_series(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String ghost = "ghost-order";
    EventEnvelope poison = EventFactory.system().create(EventCatalog.PAYMENT_AUTHORIZED, ghost,
        new PaymentAuthorized(ghost, new BigDecimal("10")), new EventFactory.Cause(ghost, null));
    TestNode.await(node.store().commit(UnitOfWork.of(new StreamAppend(Streams.of(poison), ExpectedVersion.ANY,
        List.of(poison)))), "appending a payment for no order");

    String metrics = TestNode.poll("the dead letter to be counted", this::scrape, text ->
        value(text, "switchboard_dead_letters_total", "consumer=\"orders-saga\",type=\"PaymentAuthorized\"")
            .orElse(0.0) >= 1);

    assertThat(value(metrics, "switchboard_dead_letters_total", "consumer=\"orders-saga\",type=\"PaymentAuthorized\""))
        .contains(1.0);
    assertThat(value(metrics, "switchboard_events_handled_total",
        "consumer=\"orders-saga\",outcome=\"dead_lettered\",type=\"PaymentAuthorized\"")).contains(1.0);
  }

  @Test
  void the_operations_status_gives_the_last_reading_of_backlog_and_lags_as_json(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String orderId = node.place(order("customer-1", item("sku-1", 1, 10)));
    node.awaitFinal(orderId);
    node.awaitEvent(orderId, "NotificationSent");

    io.vertx.core.json.JsonObject status = TestNode.poll("a reading with everything caught up", () -> {
      HttpResponse<Buffer> response = node.get("/admin/status");
      assertThat(response.statusCode()).isEqualTo(200);
      return response.bodyAsJsonObject();
    }, body -> body.containsKey("at") && body.getJsonObject("outbox").getLong("backlog") == 0
        && body.getJsonObject("consumers").getLong("notifications", -1L) == 0
        && body.getJsonObject("projections").getLong("orders", -1L) == 0);

    assertThat(status.getString("transport")).isEqualTo("local");
    assertThat(status.getLong("head")).isPositive();
    assertThat(status.getJsonObject("consumers").fieldNames())
        .contains("orders-saga", "inventory", "payments", "notifications");
  }

  @Test
  void the_node_as_the_app_runs_it_exports_the_http_server_event_bus_and_jvm_meters_too() {
    TestNode app = TestNode.startAsTheAppDoes(TestNode.config(dir));
    try {
      String orderId = app.place(order("customer-1", item("sku-1", 1, 10)));
      app.awaitFinal(orderId);

      String metrics = app.get("/metrics").bodyAsString();

      assertThat(metrics).as("Vert.x's HTTP server meters, the order's POST among them")
          .containsPattern("(?m)^vertx_http_server_requests_total\\{[^}]*method=\"POST\"[^}]*} [1-9]");
      assertThat(metrics).as("Vert.x's event-bus meters").containsPattern("(?m)^vertx_eventbus_\\w+");
      assertThat(metrics).as("the JVM's meters").containsPattern("(?m)^jvm_memory_used_bytes\\{")
          .containsPattern("(?m)^jvm_gc_\\w+").containsPattern("(?m)^jvm_threads_\\w+");
    } finally {
      app.stopWithItsVertx();
    }
  }

  private String scrape() {
    HttpResponse<Buffer> response = node.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    return response.bodyAsString();
  }

  /** The value of the series {@code name{labels}} (labels as Prometheus prints them, sorted), if exported. */
  static Optional<Double> value(String metrics, String name, String labels) {
    String prefix = labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
    String prefixWithNoLabels = name + "{} ";
    return metrics.lines()
        .filter(line -> line.startsWith(prefix) || (labels.isEmpty() && line.startsWith(prefixWithNoLabels)))
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst();
  }
}
