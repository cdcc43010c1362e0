package dev.switchboard.app;

import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static dev.switchboard.app.TestNode.types;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole app on the real local PostgreSQL ({@code store.type=postgres}), module code unchanged. */
class SagaOnPostgresIT {

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
            .put("postgres", new JsonObject().put("uri", TestPostgres.uri(database))))
        .put("inventory", new JsonObject().put("initialStock", new JsonObject().put("sku-1", 5)));
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
  void every_saga_path_ends_as_on_the_embedded_store_and_survives_a_restart() {
    String declined = node.place(order("c-1", item("sku-1", 5, 10), item("sku-5", 200, 50)));
    assertThat(node.awaitFinal(declined).getString("status")).isEqualTo("CANCELLED");
    assertThat(types(node.awaitEvent(declined, "StockReleased"))).contains("PaymentDeclined", "OrderCancelled");

    String confirmed = node.place(order("c-2", item("sku-1", 5, 10)));
    assertThat(node.awaitFinal(confirmed).getString("status"))
        .as("the released stock is available again").isEqualTo("CONFIRMED");
    assertThat(types(node.awaitEvent(confirmed, "NotificationSent"))).containsExactly(
        "OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");

    String unavailable = node.place(order("c-3", item("sku-1", 1, 10)));
    JsonObject cancelled = node.awaitFinal(unavailable);
    assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.getString("reason")).contains("sku-1");

    node = node.restart();
    assertThat(node.awaitFinal(confirmed).getString("status")).isEqualTo("CONFIRMED");
    assertThat(types(node.events(declined))).filteredOn("NotificationSent"::equals).hasSize(1);
  }
}
