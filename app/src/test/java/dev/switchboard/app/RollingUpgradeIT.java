package dev.switchboard.app;

import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling upgrade on one PostgreSQL store with the local transport: two nodes of the previous
 * release ({@link PreviousRelease}, which knew only version 1 of the events) run; one is replaced by
 * a node of this release (which migrates the schema under the other and places orders with
 * {@code OrderPlaced} v2), then the other; orders are placed on every node throughout. The consumers
 * of the node that holds their roles handle events of both versions: the previous release's while it
 * runs, this release's after. Every order ends as it would
 * on one release (confirmed within the payment limit, cancelled over it), with one placement, one
 * end and one notification, and nothing is dead-lettered.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RollingUpgradeIT {

  private static final Duration STARTUP = Duration.ofSeconds(40);
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_AMOUNT = 1000;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<AppProcess> launched = new ArrayList<>();
  private String database;
  /** Each order placed, and whether it is within the payment limit. */
  private final Map<String, Boolean> placed = new LinkedHashMap<>();
  private int sequence;

  @AfterEach
  void cleanUp() {
    launched.forEach(AppProcess::close);
    if (database != null) {
      TestPostgres.dropDatabase(database);
    }
  }

  @Test
  void nodes_upgraded_one_at_a_time_keep_placing_and_ending_every_order_once() throws Exception {
    Path previous = PreviousRelease.jar();
    database = TestPostgres.createDatabase();
    int firstPort = AppProcess.freePort();
    int secondPort = AppProcess.freePort();

    AppProcess first = launch("first-previous", previous, firstPort);
    AppProcess second = launch("second-previous", previous, secondPort);
    placeOrders(List.of(first, second), 20);
    // started first, the first node runs every consumer until it stops: the previous release handles
    // the version-2 events this release's node places meanwhile
    for (String consumer : List.of("inventory", "payments", "orders-saga", "notifications")) {
      assertThat(first.log()).contains("took the role consumer:" + consumer);
    }

    second.terminate();
    assertThat(second.awaitExit(Duration.ofSeconds(30))).as("the second node stops").isTrue();
    second = launch("second-upgraded", AppProcess.jar(), secondPort); // migrates the schema under the first
    placeOrders(List.of(first, second), 30);

    first.terminate();
    assertThat(first.awaitExit(Duration.ofSeconds(30))).as("the first node stops").isTrue();
    first = launch("first-upgraded", AppProcess.jar(), firstPort);
    placeOrders(List.of(first, second), 20);

    Map<String, List<JsonObject>> histories = awaitEveryOrderNotified(second);
    Set<Integer> versionsPlaced = new java.util.HashSet<>();
    histories.forEach((orderId, events) -> {
      List<String> types = events.stream().map(event -> event.getString("type")).toList();
      assertThat(types.stream().filter("OrderPlaced"::equals)).as("%s placed once: %s", orderId, types).hasSize(1);
      assertThat(types.stream().filter(type -> type.equals("OrderConfirmed") || type.equals("OrderCancelled")))
          .as("%s ended once: %s", orderId, types).hasSize(1);
      assertThat(types.stream().filter("NotificationSent"::equals)).as("%s notified once: %s", orderId, types)
          .hasSize(1);
      assertThat(types).as("%s ended as on one release", orderId)
          .contains(placed.get(orderId) ? "OrderConfirmed" : "OrderCancelled");
      events.stream().filter(event -> event.getString("type").equals("OrderPlaced"))
          .forEach(event -> versionsPlaced.add(event.getInteger("dataversion")));
    });
    assertThat(versionsPlaced).as("orders placed by both releases").containsExactlyInAnyOrder(1, 2);
    for (AppProcess node : List.of(first, second)) {
      assertThat(node.get("/dead-letters").getJsonArray("items")).as("dead letters on %s", node).isEmpty();
    }
  }

  private AppProcess launch(String name, Path jar, int port) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("SWITCHBOARD_STORE_TYPE", "postgres");
    settings.put("SWITCHBOARD_STORE_POSTGRES_URI", TestPostgres.uri(database));
    settings.put("SWITCHBOARD_PAYMENTS_MAXAMOUNT", Integer.toString(MAX_AMOUNT));
    AppProcess app = AppProcess.start(name, jar, AppProcess.workDir("rolling-upgrade-" + name), port, settings);
    launched.add(app);
    app.awaitHealthy(STARTUP);
    return app;
  }

  /** Places {@code count} orders, taking the nodes in turn; one in five is over the payment limit. */
  private void placeOrders(List<AppProcess> nodes, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      AppProcess node = nodes.get(i % nodes.size());
      int n = ++sequence;
      boolean withinLimit = n % 5 != 0;
      String product = "sku-" + (1 + n % 4);
      int quantity = withinLimit ? 1 + n % 3 : 101; // sku-N costs N × 10.00: 101 of any is over 1,000
      JsonObject order = new JsonObject().put("customerId", "customer-" + n % 7).put("items", new JsonArray()
          .add(new JsonObject().put("productId", product).put("quantity", quantity)));
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(node.uri("/orders"))
          .timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(order.encode()))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as("order %d on %s: %s", n, node, answer.body()).isEqualTo(202);
      placed.put(new JsonObject(answer.body()).getString("orderId"), withinLimit);
    }
  }

  /** Every order's events, once each order has its notification. */
  private Map<String, List<JsonObject>> awaitEveryOrderNotified(AppProcess node) throws Exception {
    Map<String, List<JsonObject>> histories = new HashMap<>();
    long deadline = System.nanoTime() + SETTLE.toNanos();
    List<String> waiting = new ArrayList<>(placed.keySet());
    while (!waiting.isEmpty()) {
      for (String orderId : List.copyOf(waiting)) {
        List<JsonObject> events = node.get("/orders/" + orderId + "/events").getJsonArray("events").stream()
            .map(JsonObject.class::cast).toList();
        histories.put(orderId, events);
        if (events.stream().anyMatch(event -> event.getString("type").equals("NotificationSent"))) {
          waiting.remove(orderId);
        }
      }
      if (!waiting.isEmpty()) {
        assertThat(System.nanoTime()).as("orders not notified within %s, e.g. %s; log %s:%n%s", SETTLE,
            waiting.stream().limit(3).map(id -> id + " " + histories.get(id).stream()
                .map(event -> event.getString("type")).toList()).toList(), node.logFile(), node.logTail(30))
            .isLessThan(deadline);
        Thread.sleep(200);
      }
    }
    return histories;
  }

}
