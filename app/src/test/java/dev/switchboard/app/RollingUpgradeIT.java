package dev.switchboard.app;

import dev.switchboard.runtime.testing.TestPostgres;
import dev.switchboard.transports.kafka.testing.KafkaBroker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling upgrades: two nodes of an earlier release ({@link PreviousRelease}) run on one PostgreSQL
 * store; one is replaced by a node of this release (which migrates the schema under the other),
 * then the other; orders are placed on every node throughout. Every order ends as it would on one
 * release (confirmed within the payment limit, cancelled over it), with one placement, one end and
 * one notification, and nothing is dead-lettered.
 *
 * <p>With the local transport, from the last release that knew only version 1 of the events: the
 * consumers of the node that holds their roles handle events of both versions. Over Kafka, from the
 * first release on one topic for every event: while the releases run side by side, each consumer
 * group is shared by a node of each, so each release's consumers handle what the other placed.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RollingUpgradeIT {

  private static final Duration STARTUP = Duration.ofSeconds(40);
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final Duration REBALANCE = Duration.ofSeconds(60);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_AMOUNT = 1000;
  /** The consumers of a whole node, each a consumer group on Kafka. */
  private static final List<String> CONSUMERS = List.of("inventory", "payments", "orders-saga", "notifications");
  private static final Pattern ASSIGNED = Pattern.compile("(\\S+) was assigned \\[([^\\]]*)\\]");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<AppProcess> launched = new ArrayList<>();
  private String database;
  private KafkaBroker kafka;
  /** Each order placed, and whether it is within the payment limit. */
  private final Map<String, Boolean> placed = new LinkedHashMap<>();
  private int sequence;

  @AfterEach
  void cleanUp() {
    launched.forEach(AppProcess::close);
    if (database != null) {
      TestPostgres.dropDatabase(database);
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void on_one_postgresql_store_nodes_upgraded_one_at_a_time_keep_placing_and_ending_every_order_once()
      throws Exception {
    Path previous = PreviousRelease.jar(PreviousRelease.ONLY_VERSION_1);
    database = TestPostgres.createDatabase();
    Map<String, String> settings = Map.of();
    int firstPort = AppProcess.freePort();
    int secondPort = AppProcess.freePort();

    AppProcess first = launch("first-previous", previous, firstPort, settings);
    AppProcess second = launch("second-previous", previous, secondPort, settings);
    placeOrders(List.of(first, second), 20);
    // started first, the first node runs every consumer until it stops: the previous release handles
    // the version-2 events this release's node places meanwhile
    for (String consumer : CONSUMERS) {
      assertThat(first.log()).contains("took the role consumer:" + consumer);
    }

    second = replace(second, "second-upgraded", secondPort, settings); // migrates the schema under the first
    placeOrders(List.of(first, second), 30);

    first = replace(first, "first-upgraded", firstPort, settings);
    placeOrders(List.of(first, second), 20);

    Map<String, List<JsonObject>> histories = assertEveryOrderEndedOnce(first, second);
    Set<Integer> versionsPlaced = new HashSet<>();
    histories.values().forEach(events -> events.stream()
        .filter(event -> event.getString("type").equals("OrderPlaced"))
        .forEach(event -> versionsPlaced.add(event.getInteger("dataversion"))));
    assertThat(versionsPlaced).as("orders placed by both releases").containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void over_kafka_nodes_upgraded_one_at_a_time_share_each_consumer_group_and_end_every_order_once()
      throws Exception {
    Path previous = PreviousRelease.jar(PreviousRelease.ONE_KAFKA_TOPIC);
    kafka = new KafkaBroker().start();
    database = TestPostgres.createDatabase();
    Map<String, String> settings = Map.of(
        "SWITCHBOARD_TRANSPORT_TYPE", "kafka",
        "SWITCHBOARD_TRANSPORT_KAFKA_BOOTSTRAPSERVERS", kafka.bootstrapServers());
    int firstPort = AppProcess.freePort();
    int secondPort = AppProcess.freePort();

    AppProcess first = launch("first-previous", previous, firstPort, settings);
    AppProcess second = launch("second-previous", previous, secondPort, settings);
    awaitGroupsSharedBy(first, second);
    placeOrders(List.of(first, second), 20);

    second = replace(second, "second-upgraded", secondPort, settings);
    awaitGroupsSharedBy(first, second); // each group: a member of each release
    placeOrders(List.of(first, second), 30);

    first = replace(first, "first-upgraded", firstPort, settings);
    awaitGroupsSharedBy(first, second);
    placeOrders(List.of(first, second), 20);

    assertEveryOrderEndedOnce(first, second);
  }

  /** Stops {@code node} and starts a node of this release in its place, on its port. */
  private AppProcess replace(AppProcess node, String name, int port, Map<String, String> settings) throws Exception {
    node.terminate();
    assertThat(node.awaitExit(Duration.ofSeconds(30))).as("%s stops", node).isTrue();
    return launch(name, AppProcess.jar(), port, settings);
  }

  private AppProcess launch(String name, Path jar, int port, Map<String, String> transport) throws Exception {
    Map<String, String> settings = new HashMap<>(transport);
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

  /**
   * Every order ended once, as on one release, and no node holds a dead letter; every order's events.
   */
  private Map<String, List<JsonObject>> assertEveryOrderEndedOnce(AppProcess... nodes) throws Exception {
    Map<String, List<JsonObject>> histories = awaitEveryOrderNotified(nodes[0]);
    histories.forEach((orderId, events) -> {
      List<String> types = events.stream().map(event -> event.getString("type")).toList();
      assertThat(types.stream().filter("OrderPlaced"::equals)).as("%s placed once: %s", orderId, types).hasSize(1);
      assertThat(types.stream().filter(type -> type.equals("OrderConfirmed") || type.equals("OrderCancelled")))
          .as("%s ended once: %s", orderId, types).hasSize(1);
      assertThat(types.stream().filter("NotificationSent"::equals)).as("%s notified once: %s", orderId, types)
          .hasSize(1);
      assertThat(types).as("%s ended as on one release", orderId)
          .contains(placed.get(orderId) ? "OrderConfirmed" : "OrderCancelled");
    });
    for (AppProcess node : nodes) {
      assertThat(node.get("/dead-letters").getJsonArray("items")).as("dead letters on %s", node).isEmpty();
    }
    return histories;
  }

  /**
   * Waits until each consumer's group has both nodes as members holding partitions of
   * {@code switchboard.events}: each node's latest assignment, as its log tells it, is not empty, and
   * the two do not overlap (before the group has rebalanced, the node that was alone holds them all).
   */
  private void awaitGroupsSharedBy(AppProcess first, AppProcess second) throws InterruptedException {
    long deadline = System.nanoTime() + REBALANCE.toNanos();
    while (true) {
      Map<String, Set<String>> firstHolds = latestAssignments(first);
      Map<String, Set<String>> secondHolds = latestAssignments(second);
      boolean shared = CONSUMERS.stream().allMatch(consumer -> {
        Set<String> a = firstHolds.getOrDefault(consumer, Set.of());
        Set<String> b = secondHolds.getOrDefault(consumer, Set.of());
        return !a.isEmpty() && !b.isEmpty() && a.stream().noneMatch(b::contains);
      });
      if (shared) {
        return;
      }
      assertThat(System.nanoTime()).as("each consumer group shared by %s and %s within %s: %s holds %s, %s holds %s",
          first, second, REBALANCE, first, firstHolds, second, secondHolds).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Each consumer's partitions as of the last assignment its node logged. */
  private static Map<String, Set<String>> latestAssignments(AppProcess node) {
    Map<String, Set<String>> holds = new HashMap<>();
    Matcher line = ASSIGNED.matcher(node.log());
    while (line.find()) {
      Set<String> partitions = new HashSet<>();
      for (String partition : line.group(2).split(",")) {
        if (!partition.isBlank()) {
          partitions.add(partition.strip());
        }
      }
      holds.put(line.group(1), partitions);
    }
    return holds;
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
