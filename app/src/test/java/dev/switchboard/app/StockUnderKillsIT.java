package dev.switchboard.app;

import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReleased;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.inventory.StockUnavailable;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoreFactory;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.DefaultConfig;
import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inventory's stock under crashes, on each store: the real jar takes a steady flow of orders (many
 * orders on few products, a scarce product that runs out, orders over the payment limit that are
 * released again, unknown products) and is SIGKILLed three times at random instants and restarted
 * on the same data while the orders keep coming; on PostgreSQL its connections are also terminated
 * once under load, and the server itself is crashed (an immediate shutdown) and started again once. Afterwards every accepted order is final exactly once, and for every product the
 * stock document inventory decides on, the {@code stock} read model and a count from the log all
 * say the same: the initial stock less what the confirmed orders hold, never less than nothing; and
 * the orders read model equals a rebuild of it from the log.
 *
 * <p>The random instants come from a seed printed with the results, to replay a failing run.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@StopsSharedServices
class StockUnderKillsIT {

  private static final int CLIENTS = 4;
  /** The pace of the clients together: a steady flow that a node on either store keeps up with. */
  private static final int ORDERS_PER_SECOND = 40;
  private static final int KILLS = 3;
  private static final int SCARCE_UNITS = 300;
  private static final int MAX_AMOUNT = 1000;
  private static final Map<String, Integer> INITIAL = Map.of(
      "sku-1", 1_000_000, "sku-2", 1_000_000, "sku-3", 1_000_000, "sku-4", 1_000_000, "sku-5", SCARCE_UNITS);
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration SETTLE = Duration.ofSeconds(90);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final List<AppProcess> launched = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private String database;

  @AfterEach
  void cleanUp() {
    launched.forEach(AppProcess::close);
    if (database != null) {
      TestPostgres.dropDatabase(database);
    }
  }

  @Test
  void on_the_embedded_store_stock_stays_what_the_log_says_through_kills() throws Exception {
    Path dir = AppProcess.workDir("stock-kills-embedded");
    Path file = dir.resolve("data").resolve("switchboard.db");
    runThroughKills(dir, Map.of(), () -> {}, () -> {});
    assertStockAsTheLogSays(vertx -> StoreFactory.of("embedded").open(vertx, EventSchemas.load(),
        DefaultConfig.section(new JsonObject().put("path", file.toString()), "store", "embedded")));
  }

  @Test
  void on_postgresql_stock_stays_what_the_log_says_through_kills_lost_connections_and_a_server_crash() throws Exception {
    database = TestPostgres.createDatabase();
    String db = database;
    Path dir = AppProcess.workDir("stock-kills-postgres");
    runThroughKills(dir, Map.of("SWITCHBOARD_STORE_TYPE", "postgres",
            "SWITCHBOARD_STORE_POSTGRES_URI", TestPostgres.uri(db)),
        () -> TestPostgres.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            + " WHERE datname = '" + db + "' AND pid <> pg_backend_pid()"),
        TestPostgres::crashAndRestartLocalServer);
    assertStockAsTheLogSays(vertx -> StoreFactory.of("postgres").open(vertx, EventSchemas.load(), TestPostgres.settings(db)));
  }

  // ---------------------------------------------------------------------------------------------
  // the run

  /** The orders placed, by index: their request, and the answer once one came. */
  private final Map<Integer, JsonObject> requests = new ConcurrentHashMap<>();
  private final Map<Integer, String> accepted = new ConcurrentHashMap<>();
  /** Each order's final status, once all are final. */
  private Map<String, String> statuses;

  /**
   * @param cutConnections ends every store connection of the node under it (on PostgreSQL), once
   * @param crashServer    crashes the store's server and starts it again while the node runs (on
   *                       PostgreSQL), once
   */
  private void runThroughKills(Path dir, Map<String, String> store, Runnable cutConnections, Runnable crashServer)
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int port = AppProcess.freePort();
    String run = "stock-" + seed + "-";
    AppProcess[] current = {launch("first", dir, port, store)};
    current[0].awaitHealthy(STARTUP);

    AtomicBoolean halted = new AtomicBoolean();
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> workers = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      workers.add(clients.submit(() -> {
        while (!halted.get()) {
          int index = next.getAndIncrement();
          requests.put(index, order(index));
          place(port, run, index); // a lost answer is sent again at the end, under the same key
          Thread.sleep(1000L * CLIENTS / ORDERS_PER_SECOND);
        }
        return null;
      }));
    }
    try {
      for (int kill = 1; kill <= KILLS; kill++) {
        awaitAccepted(accepted.size() + 60 + random.nextInt(120), current[0]);
        if (kill == 2) {
          cutConnections.run(); // on PostgreSQL: every connection of the node ended under it
          awaitAccepted(accepted.size() + 30 + random.nextInt(60), current[0]);
        }
        if (kill == 3) {
          crashServer.run(); // on PostgreSQL: the server itself dies mid-write and recovers from its WAL
          awaitAccepted(accepted.size() + 30 + random.nextInt(60), current[0]);
        }
        Thread.sleep(random.nextInt(300));
        current[0].kill();
        current[0] = launch("after-kill-" + kill, dir, port, store);
        current[0].awaitHealthy(STARTUP);
      }
      awaitAccepted(accepted.size() + 50, current[0]);
    } finally {
      halted.set(true);
      for (Future<?> worker : workers) {
        worker.get(2 * REQUEST_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
      }
      clients.shutdownNow();
    }

    for (int index : requests.keySet()) {
      if (!accepted.containsKey(index)) {
        placeUntilAnswered(port, run, index);
      }
    }
    Map<String, String> statuses = awaitEveryOrderFinalExactlyOnce(current[0]);
    awaitProjectionsCaughtUp(current[0]);
    assertOrdersReadModelEqualsItsRebuild(current[0]);
    System.out.printf("[StockUnderKillsIT] seed %d: %d orders (%s), %d kills%n", seed, statuses.size(),
        statuses.values().stream().collect(java.util.stream.Collectors.groupingBy(s -> s,
            java.util.stream.Collectors.counting())), KILLS);
    current[0].terminate();
    assertThat(current[0].awaitExit(Duration.ofSeconds(30))).as("the last node stops").isTrue();
  }

  /** A deterministic mix: unknown products, orders over the payment limit, and the scarce sku-5 often. */
  private static JsonObject order(int index) {
    JsonArray items = new JsonArray();
    String common = "sku-" + (1 + index % 4);
    String price = (1 + index % 4) * 10 + ""; // the catalog prices sku-N at N × 10.00
    if (index % 10 == 3) {
      items.add(item(common, 1, price)).add(item("no-such-product-" + index, 1, "5"));
    } else if (index % 10 == 1 || index % 10 == 6) {
      items.add(item(common, 101, price)); // over the limit of 1000: reserved, declined, released
    } else {
      items.add(item(common, 1 + index % 3, price));
      if (index % 2 == 0) {
        items.add(item("sku-5", 1 + index % 4, "50"));
      }
    }
    return new JsonObject().put("customerId", "customer-" + index % 13).put("items", items);
  }

  private static JsonObject item(String productId, int quantity, String unitPrice) {
    return new JsonObject().put("productId", productId).put("quantity", quantity)
        .put("unitPrice", new BigDecimal(unitPrice));
  }

  /** One attempt; true once the order has its answer. */
  private boolean place(int port, String run, int index) {
    HttpRequest request = HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/orders"))
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", run + index)
        .POST(HttpRequest.BodyPublishers.ofString(requests.get(index).encode()))
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 202) {
        accepted.put(index, new JsonObject(response.body()).getString("orderId"));
        return true;
      }
      assertThat(response.statusCode()).as("answer to order %d: %s", index, response.body()).isGreaterThanOrEqualTo(500);
      return false;
    } catch (IOException noAnswer) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void placeUntilAnswered(int port, String run, int index) throws InterruptedException {
    for (int attempt = 1; attempt <= 20; attempt++) {
      if (place(port, run, index)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("order " + index + " got no answer after 20 tries under its key");
  }

  private void awaitAccepted(int count, AppProcess app) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (accepted.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(count + " orders not accepted within 60 s (" + accepted.size() + " were); log "
            + app.logFile() + ":\n" + app.logTail(30));
      }
      Thread.sleep(20);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the proof

  /** Waits until every order is final and notified; checks one placement, one end, one notification each. */
  private Map<String, String> awaitEveryOrderFinalExactlyOnce(AppProcess app) throws Exception {
    assertThat(Set.copyOf(accepted.values())).as("one order per request, whatever was retried")
        .hasSize(requests.size());
    Map<String, String> statuses = new HashMap<>();
    long deadline = System.nanoTime() + SETTLE.toNanos();
    List<String> waiting = new ArrayList<>(accepted.values());
    Map<String, List<String>> histories = new HashMap<>();
    while (!waiting.isEmpty()) {
      for (String orderId : List.copyOf(waiting)) {
        JsonObject history = app.get("/orders/" + orderId + "/events");
        List<String> types = history.getJsonArray("events").stream()
            .map(event -> ((JsonObject) event).getString("type")).toList();
        histories.put(orderId, types);
        if (types.contains("NotificationSent")) {
          waiting.remove(orderId);
          statuses.put(orderId, app.get("/orders/" + orderId).getString("status"));
        }
      }
      if (!waiting.isEmpty()) {
        assertThat(System.nanoTime()).as("orders not final within %s, e.g. %s; log %s:%n%s", SETTLE,
            waiting.stream().limit(3).map(id -> id + " " + histories.get(id)).toList(), app.logFile(),
            app.logTail(30)).isLessThan(deadline);
        Thread.sleep(200);
      }
    }
    histories.forEach((orderId, types) -> {
      assertThat(types.stream().filter("OrderPlaced"::equals)).as("%s placed once: %s", orderId, types).hasSize(1);
      assertThat(types.stream().filter(type -> type.equals("OrderConfirmed") || type.equals("OrderCancelled")))
          .as("%s ended once: %s", orderId, types).hasSize(1);
      assertThat(types.stream().filter("NotificationSent"::equals)).as("%s notified once: %s", orderId, types)
          .hasSize(1);
      assertThat(types.stream().filter(type -> type.startsWith("Stock") && !type.equals("StockReleased")))
          .as("%s decided by inventory once: %s", orderId, types).hasSize(1);
    });
    assertThat(app.get("/dead-letters").getJsonArray("items")).as("dead letters").isEmpty();
    this.statuses = statuses;
    return statuses;
  }

  private void awaitProjectionsCaughtUp(AppProcess app) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      JsonObject projections = app.get("/admin/projections");
      boolean caughtUp = projections.getJsonArray("items").stream().map(JsonObject.class::cast)
          .allMatch(projection -> projection.getLong("lag") == 0);
      if (caughtUp) {
        return;
      }
      assertThat(System.nanoTime()).as("projections caught up: %s", projections).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /**
   * The orders read model, built live through the kills, equals one rebuilt from the log afterwards:
   * no event was applied twice or skipped across the restarts.
   */
  private void assertOrdersReadModelEqualsItsRebuild(AppProcess app) throws Exception {
    Map<String, JsonObject> live = orderViews(app);
    int liveGeneration = ordersProjection(app).getInteger("generation");
    HttpResponse<String> asked = http.send(HttpRequest.newBuilder(app.uri("/admin/projections/orders/rebuild"))
        .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(asked.statusCode()).as("rebuild asked: %s", asked.body()).isEqualTo(202);
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      JsonObject orders = ordersProjection(app);
      if (orders.getInteger("generation") > liveGeneration && "LIVE".equals(orders.getString("state"))
          && orders.getLong("lag") == 0) {
        break;
      }
      assertThat(System.nanoTime()).as("the orders read model rebuilt: %s", orders).isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(orderViews(app)).as("every order as rebuilt from the log").isEqualTo(live);
  }

  private Map<String, JsonObject> orderViews(AppProcess app) throws Exception {
    Map<String, JsonObject> views = new HashMap<>();
    for (String orderId : accepted.values()) {
      views.put(orderId, app.get("/orders/" + orderId));
    }
    return views;
  }

  private JsonObject ordersProjection(AppProcess app) throws Exception {
    return app.get("/admin/projections").getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(projection -> "orders".equals(projection.getString("name"))).findFirst().orElseThrow();
  }

  interface StoreOpener {
    io.vertx.core.Future<EventStore> open(Vertx vertx);
  }

  /**
   * With the node stopped, opens its store here and compares, per product, the stock document,
   * the {@code stock} read model and a count of the log against the confirmed orders.
   */
  private void assertStockAsTheLogSays(StoreOpener opener) {
    Vertx vertx = Vertx.vertx();
    EventStore store = result(opener.open(vertx));
    try {
      Map<String, Integer> heldByLog = new HashMap<>();
      Map<String, Map<String, Integer>> heldPerOrder = new HashMap<>();
      List<StoredEvent> decisions = readAll(store, Set.of("StockReserved", "StockReleased", "StockUnavailable"));
      for (StoredEvent event : decisions) {
        String orderId = event.envelope().subject();
        switch (event.type()) {
          case "StockReserved" -> hold(heldByLog, heldPerOrder, orderId,
              EventData.decode(event.envelope().data(), StockReserved.class).lines(), +1);
          case "StockReleased" -> hold(heldByLog, heldPerOrder, orderId,
              EventData.decode(event.envelope().data(), StockReleased.class).lines(), -1);
          default -> {
            String reason = EventData.decode(event.envelope().data(), StockUnavailable.class).reason();
            INITIAL.keySet().forEach(productId -> assertThat(reason)
                .as("order %s refused; %s is in the catalog", orderId, productId)
                .doesNotContain(productId + " is not a product we stock"));
          }
        }
      }
      Map<String, Integer> heldByConfirmed = new HashMap<>();
      statuses.forEach((orderId, status) -> {
        Map<String, Integer> held = heldPerOrder.getOrDefault(orderId, Map.of());
        if (status.equals("CONFIRMED")) {
          held.forEach((productId, units) -> heldByConfirmed.merge(productId, units, Integer::sum));
        } else {
          assertThat(held.values()).as("cancelled order %s holds no stock", orderId).allMatch(units -> units == 0);
        }
      });

      Map<String, String> mismatches = new LinkedHashMap<>();
      for (String productId : new java.util.TreeSet<>(INITIAL.keySet())) {
        int expected = INITIAL.get(productId) - heldByConfirmed.getOrDefault(productId, 0);
        int fromLog = INITIAL.get(productId) - heldByLog.getOrDefault(productId, 0);
        int document = result(store.document("inventory-stock", productId))
            .map(found -> found.body().getInteger("available")).orElse(INITIAL.get(productId));
        int readModel = result(store.readModels().row("stock", productId))
            .map(row -> row.getInteger("available")).orElse(INITIAL.get(productId));
        if (expected != fromLog || expected != document || expected != readModel || expected < 0) {
          mismatches.put(productId, "initial less confirmed " + expected + ", log " + fromLog + ", document "
              + document + ", read model " + readModel);
        }
      }
      assertThat(mismatches).as("products whose stock disagrees").isEmpty();
      assertThat(heldByConfirmed.getOrDefault("sku-5", 0)).as("the scarce product ran out, never over")
          .isLessThanOrEqualTo(SCARCE_UNITS);
    } finally {
      result(store.close());
      result(vertx.close());
    }
  }

  private static void hold(Map<String, Integer> held, Map<String, Map<String, Integer>> perOrder, String orderId,
                           List<StockLine> lines, int sign) {
    for (StockLine line : lines) {
      held.merge(line.productId(), sign * line.quantity(), Integer::sum);
      perOrder.computeIfAbsent(orderId, id -> new HashMap<>()).merge(line.productId(), sign * line.quantity(),
          Integer::sum);
    }
  }

  private static List<StoredEvent> readAll(EventStore store, Set<String> types) {
    List<StoredEvent> all = new ArrayList<>();
    long after = 0;
    while (true) {
      List<StoredEvent> page = result(store.readAll(after, types, 1000));
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
      after = page.get(page.size() - 1).position();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // plumbing

  private AppProcess launch(String name, Path dir, int port, Map<String, String> store) throws IOException {
    Map<String, String> settings = new HashMap<>(store);
    settings.put("SWITCHBOARD_PAYMENTS_MAXAMOUNT", Integer.toString(MAX_AMOUNT));
    settings.put("SWITCHBOARD_INVENTORY_INITIALSTOCK_SKU-5", Integer.toString(SCARCE_UNITS));
    AppProcess app = AppProcess.start(name, dir, port, settings);
    launched.add(app);
    return app;
  }

}
