package dev.switchboard.app;

import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
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
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real nodes (the fat jar, three JVMs) clustered over Hazelcast on loopback and sharing one
 * PostgreSQL database, each deploying other modules: orders on the first; inventory and payments on
 * the second; notifications and payments again on the third. Orders placed on the first and on the
 * third (which has no orders module: the clustered event bus carries the request) complete through
 * the modules of the others. The second node is killed mid-run and restarted: every order still ends
 * in one final state with one notification.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterIT {

  private static final Duration STARTUP = Duration.ofSeconds(60);
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final List<String> CONFIRMED_HISTORY =
      List.of("OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<AppProcess> launched = new ArrayList<>();
  private String database;
  private Path dir;
  private Map<String, String> common;
  private final int[] clusterPorts = new int[3];
  private final int[] httpPorts = new int[3];

  @BeforeEach
  void prepare() throws IOException {
    database = TestPostgres.createDatabase();
    dir = AppProcess.workDir("cluster");
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      clusterPorts[i] = AppProcess.freePort();
      httpPorts[i] = AppProcess.freePort();
      members.append(i == 0 ? "" : ",").append("127.0.0.1:").append(clusterPorts[i]);
    }
    common = new LinkedHashMap<>();
    common.put("SWITCHBOARD_STORE_TYPE", "postgres");
    common.put("SWITCHBOARD_STORE_POSTGRES_URI", TestPostgres.uri(database));
    common.put("SWITCHBOARD_CLUSTER_ENABLED", "true");
    common.put("SWITCHBOARD_CLUSTER_MEMBERS", members.toString());
    common.put("SWITCHBOARD_TRANSPORT_LOCAL_POLLINTERVALMILLIS", "200");
    common.put("SWITCHBOARD_OUTBOX_POLLINTERVALMILLIS", "200");
    common.put("SWITCHBOARD_PROJECTIONS_POLLINTERVALMILLIS", "200");
  }

  @AfterEach
  void stopEverything() {
    launched.forEach(AppProcess::close);
    TestPostgres.dropDatabase(database);
  }

  @Test
  void orders_complete_across_nodes_and_survive_a_node_killed_mid_run() throws Exception {
    AppProcess ordersNode = start(0, "orders");
    AppProcess stockNode = start(1, "inventory,payments");
    AppProcess notifyingNode = start(2, "notifications,payments");
    for (AppProcess node : List.of(ordersNode, stockNode, notifyingNode)) {
      node.awaitHealthy(STARTUP);
      awaitJson(node, "/health", "the cluster to have three members",
          health -> health.getJsonObject("checks").getJsonObject("cluster").getInteger("members", 0) == 3);
    }

    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      orders.add(place(i % 2 == 0 ? ordersNode : notifyingNode, "before-" + i));
    }
    stockNode.kill();
    for (int i = 0; i < 10; i++) {
      orders.add(place(i % 2 == 0 ? ordersNode : notifyingNode, "while-down-" + i));
    }
    AppProcess restarted = start(1, "inventory,payments");
    restarted.awaitHealthy(STARTUP);
    for (int i = 0; i < 10; i++) {
      orders.add(place(i % 2 == 0 ? notifyingNode : ordersNode, "after-" + i));
    }

    Map<String, JsonArray> histories = new HashMap<>();
    for (String orderId : orders) {
      JsonObject view = awaitJson(notifyingNode, "/orders/" + orderId, "order " + orderId + " to be final",
          order -> !"PENDING".equals(order.getString("status")));
      assertThat(view.getString("status")).as("order " + orderId).isEqualTo("CONFIRMED");
      histories.put(orderId, awaitJson(ordersNode, "/orders/" + orderId + "/events",
          "order " + orderId + " to be notified", body -> types(body.getJsonArray("events")).contains("NotificationSent"))
          .getJsonArray("events"));
    }
    histories.forEach((orderId, events) ->
        assertThat(types(events)).as("order " + orderId).containsExactlyElementsOf(CONFIRMED_HISTORY));
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM events WHERE type = 'OrderPlaced'"))
        .isEqualTo(orders.size());
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM events WHERE type = 'NotificationSent'"))
        .as("one notification per order, however many nodes run a module").isEqualTo(orders.size());
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM dead_letters")).isZero();
  }

  private AppProcess start(int index, String modules) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>(common);
    settings.put("SWITCHBOARD_MODULES", modules);
    settings.put("SWITCHBOARD_CLUSTER_PORT", Integer.toString(clusterPorts[index]));
    AppProcess process = AppProcess.start("node-" + index + "-" + UUID.randomUUID().toString().substring(0, 8),
        dir, httpPorts[index], settings);
    launched.add(process);
    return process;
  }

  /** Places an order on a node, retrying with the same key while the cluster settles; its id. */
  private String place(AppProcess node, String key) throws Exception {
    JsonObject order = new JsonObject().put("customerId", "customer-" + key).put("items", new JsonArray()
        .add(new JsonObject().put("productId", "sku-1").put("quantity", 1).put("unitPrice", 10)));
    HttpRequest request = HttpRequest.newBuilder(node.uri("/orders")).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Idempotency-Key", key + "-" + database)
        .POST(HttpRequest.BodyPublishers.ofString(order.encode())).build();
    long deadline = System.nanoTime() + SETTLE.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 202) {
          return new JsonObject(answer.body()).getString("orderId");
        }
        last = answer.statusCode() + " " + answer.body();
      } catch (IOException lost) {
        last = lost.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("order " + key + " was never accepted by " + node + ": " + last + "\n" + node.logTail(30));
  }

  private JsonObject awaitJson(AppProcess node, String path, String what, Predicate<JsonObject> done) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(5)).GET().build();
    long deadline = System.nanoTime() + SETTLE.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          JsonObject body = new JsonObject(answer.body());
          if (done.test(body)) {
            return body;
          }
        }
        last = answer.statusCode() + " " + answer.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gave up waiting for " + what + " on " + node + "; last: " + last);
  }

  private static List<String> types(JsonArray events) {
    return events.stream().map(event -> ((JsonObject) event).getString("type")).toList();
  }
}
