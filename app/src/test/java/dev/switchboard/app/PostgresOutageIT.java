package dev.switchboard.app;

import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static dev.switchboard.app.TestNode.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database going away under a running node: every connection of the app is killed
 * ({@code pg_terminate_backend}) again and again while clients place orders. Clients retry what
 * failed with the same {@code Idempotency-Key}, as a client of this API should; in the end every
 * order the API accepted has run its whole saga, with no event lost and none doubled, and the read
 * models have caught up with the log.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresOutageIT {

  private static final int CLIENTS = 4;
  private static final int ORDERS_PER_CLIENT = 40;
  private static final int OUTAGES = 5;

  @TempDir
  Path dir;

  private Vertx vertx;
  private String database;
  private TestNode node;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.createDatabase();
    JsonObject overrides = new JsonObject()
        .put("store", new JsonObject().put("type", "postgres")
            .put("postgres", new JsonObject().put("uri", TestPostgres.uri(database))));
    node = TestNode.start(vertx, TestNode.config(dir, overrides));
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
    TestNode.await(vertx.close(), "vert.x to close");
    TestPostgres.dropDatabase(database);
  }

  @Test
  void connections_killed_under_load_lose_no_committed_event_and_every_accepted_order_completes() throws Exception {
    Map<String, String> orderOfKey = new ConcurrentHashMap<>();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      running.add(clients.submit(() -> {
        for (int i = 0; i < ORDERS_PER_CLIENT; i++) {
          String key = "client-" + client + "-order-" + i + "-" + UUID.randomUUID();
          // a total over the payment limit now and then, so that the compensation path runs too
          JsonObject order = order("customer-" + client, i % 7 == 0 ? item("sku-5", 201, 50) // over the payment limit
              : item("sku-" + (1 + i % 5), 1, (1 + i % 5) * 10));
          orderOfKey.put(key, placeUntilAccepted(key, order));
        }
      }));
    }
    int outagesCaused = 0;
    while (outagesCaused < OUTAGES) {
      Thread.sleep(150);
      if (TestPostgres.terminateConnections(database) > 0) {
        outagesCaused++;
      }
    }
    for (Future<?> client : running) {
      client.get(2, TimeUnit.MINUTES);
    }
    clients.shutdown();

    assertThat(orderOfKey).hasSize(CLIENTS * ORDERS_PER_CLIENT);
    assertThat(orderOfKey.values()).as("one order per key, however often it was retried").doesNotHaveDuplicates();
    for (String orderId : orderOfKey.values()) {
      JsonObject view = node.awaitFinal(orderId);
      node.awaitEvent(orderId, "NotificationSent");
      if ("CONFIRMED".equals(view.getString("status"))) {
        assertThat(types(node.events(orderId))).as("order " + orderId).containsExactly(
            "OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
      } else {
        assertThat(view.getString("reason")).isNotBlank();
        // the release (inventory) and the cancellation (orders) follow the decline side by side
        node.awaitEvent(orderId, "StockReleased");
        assertThat(types(node.events(orderId))).as("order " + orderId).containsExactlyInAnyOrder("OrderPlaced",
            "StockReserved", "PaymentDeclined", "StockReleased", "OrderCancelled", "NotificationSent");
      }
    }
    long placed = TestPostgres.queryLong(database, "SELECT count(*) FROM events WHERE type = 'OrderPlaced'");
    assertThat(placed).as("no order stored twice, none lost").isEqualTo(CLIENTS * ORDERS_PER_CLIENT);
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM dead_letters")).isZero();
    TestNode.poll("the relay's checkpoint to reach the head of the log", () -> TestPostgres.queryLong(database,
        "SELECT (SELECT max(position) FROM events) - position FROM checkpoints WHERE consumer = 'outbox-relay'"),
        behind -> behind == 0);
    TestNode.poll("every read model to catch up with the log", () -> node.get("/admin/projections").bodyAsJsonObject(),
        body -> body.getJsonArray("items").stream().allMatch(item -> ((JsonObject) item).getLong("lag") == 0));
    assertThat(node.get("/health").statusCode()).isEqualTo(200);
  }

  /** Places an order, retrying with the same key until the API accepts it; the order's id. */
  private String placeUntilAccepted(String key, JsonObject order) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", key);
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (true) {
      HttpResponse<Buffer> response;
      try {
        response = node.post("/orders", order.toBuffer(), headers);
      } catch (AssertionError lostAnswer) {
        response = null; // no answer in time: as good as a failure, try again with the same key
      }
      if (response != null && response.statusCode() == 202) {
        return response.bodyAsJsonObject().getString("orderId");
      }
      // 503: nothing was stored; 504: not known whether it was; either way the same key finds out
      if (response != null && response.statusCode() != 503 && response.statusCode() != 504) {
        throw new AssertionError("POST /orders answered " + response.statusCode() + " " + response.bodyAsString());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the order under key " + key + " was never accepted");
      }
      sleep(20);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
