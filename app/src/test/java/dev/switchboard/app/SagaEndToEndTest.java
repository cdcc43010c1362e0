package dev.switchboard.app;

import dev.switchboard.runtime.store.StoredEvent;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static dev.switchboard.app.TestNode.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole saga on a real node, driven over HTTP as a client would: an order placed, stock
 * reserved or not, payment authorised or declined, stock released on a decline, the order confirmed
 * or cancelled, the customer (or operations) notified. One Vert.x instance and one data file per test.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SagaEndToEndTest {

  private static final String CUSTOMER = "customer-7";

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
  void an_order_within_the_limits_is_confirmed_with_its_whole_history_in_order(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String orderId = node.place(order(CUSTOMER, item("sku-1", 2, 10), item("sku-2", 1, 20)));

    JsonObject view = node.awaitFinal(orderId);
    assertThat(view.getString("status")).isEqualTo("CONFIRMED");
    assertThat(view.containsKey("reason")).isFalse();
    assertThat(new java.math.BigDecimal(String.valueOf(view.getValue("total")))).isEqualByComparingTo("40");

    JsonArray events = node.awaitEvent(orderId, "NotificationSent");
    assertThat(types(events))
        .containsExactly("OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
    List<String> ids = new ArrayList<>();
    for (Object raw : events) {
      JsonObject event = (JsonObject) raw;
      assertThat(event.getString("specversion")).isEqualTo("1.0");
      assertThat(event.getString("id")).isNotBlank();
      assertThat(event.getString("type")).isNotBlank();
      assertThat(event.getString("source")).startsWith("/");
      assertThat(event.getString("subject")).isEqualTo(orderId);
      assertThat(Instant.parse(event.getString("time"))).isBeforeOrEqualTo(Instant.now());
      assertThat(event.getLong("sequence")).isPositive();
      assertThat(event.getString("correlationid")).isEqualTo(orderId);
      assertThat(event.getJsonObject("data")).isNotNull();
      ids.add(event.getString("id"));
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(events.stream().map(event -> ((JsonObject) event).getString("source")))
        .containsExactly("/orders", "/inventory", "/payments", "/orders", "/notifications");
    // the order's own stream: placed first, confirmed second
    assertThat(events.getJsonObject(0).getLong("sequence")).isEqualTo(1);
    assertThat(events.getJsonObject(3).getLong("sequence")).isEqualTo(2);
    // each step was caused by the one before it
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.getJsonObject(i).getString("causationid")).isEqualTo(events.getJsonObject(i - 1).getString("id"));
    }
    JsonObject sent = events.getJsonObject(4).getJsonObject("data");
    assertThat(sent.getString("kind")).isEqualTo("ORDER_CONFIRMED");
    assertThat(sent.getString("recipient")).isEqualTo(CUSTOMER);
    assertThat(sent.getString("about")).isEqualTo(orderId);
  }

  @Test
  void an_unknown_product_cancels_the_order_with_a_reason_and_no_payment_is_attempted(Vertx vertx) {
    // as much stock as one line may ask for, so that one order can take all of it
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("inventory", new JsonObject()
        .put("initialStock", new JsonObject().put("sku-1", 1000)))));
    String orderId = node.place(order(CUSTOMER, item("sku-1", 1, 10), item("no-such-sku", 1, 10)));

    JsonObject view = node.awaitFinal(orderId);
    assertThat(view.getString("status")).isEqualTo("CANCELLED");
    assertThat(view.getString("reason")).contains("no-such-sku");

    JsonArray events = node.awaitEvent(orderId, "NotificationSent");
    assertThat(types(events)).containsExactly("OrderPlaced", "StockUnavailable", "OrderCancelled", "NotificationSent");
    assertThat(types(events)).noneMatch(type -> type.startsWith("Payment"));
    assertThat(events.getJsonObject(3).getJsonObject("data").getString("kind")).isEqualTo("ORDER_CANCELLED");

    // nothing was taken from the known product: all of its stock can still be ordered
    int stock = node.config().getJsonObject("inventory").getJsonObject("initialStock").getInteger("sku-1");
    String all = node.place(order(CUSTOMER, item("sku-1", stock, 10)));
    assertThat(node.awaitFinal(all).getString("status")).isEqualTo("CONFIRMED");
  }

  @Test
  void a_declined_payment_cancels_the_order_and_releases_its_stock_for_the_next_order(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject()
        .put("inventory", new JsonObject().put("initialStock", new JsonObject().put("sku-1", 5)).put("lowStockThreshold", 0))
        .put("payments", new JsonObject().put("maxAmount", 100))));

    String declined = node.place(order(CUSTOMER, item("sku-1", 5, 10), item("sku-2", 5, 20))); // 150
    JsonObject view = node.awaitFinal(declined);
    assertThat(view.getString("status")).isEqualTo("CANCELLED");
    assertThat(view.getString("reason")).contains("declined").contains("150").contains("100");

    node.awaitEvent(declined, "StockReleased");
    JsonArray events = node.awaitEvent(declined, "NotificationSent");
    assertThat(types(events)).startsWith("OrderPlaced", "StockReserved", "PaymentDeclined");
    assertThat(types(events)).containsExactlyInAnyOrder(
        "OrderPlaced", "StockReserved", "PaymentDeclined", "OrderCancelled", "StockReleased", "NotificationSent");
    assertThat(types(events)).doesNotContain("PaymentAuthorized", "OrderConfirmed");

    // all five units are back: an order for five that can be paid is confirmed
    String affordable = node.place(order(CUSTOMER, item("sku-1", 5, 10)));
    assertThat(node.awaitFinal(affordable).getString("status")).isEqualTo("CONFIRMED");
    // and then there are none left
    String oneMore = node.place(order(CUSTOMER, item("sku-1", 1, 10)));
    JsonObject unavailable = node.awaitFinal(oneMore);
    assertThat(unavailable.getString("status")).isEqualTo("CANCELLED");
    assertThat(unavailable.getString("reason")).contains("sku-1");
  }

  @Test
  void stock_falling_under_its_threshold_raises_inventory_low_once_and_operations_are_told(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject()
        .put("inventory", new JsonObject().put("initialStock", new JsonObject().put("sku-1", 10)).put("lowStockThreshold", 5))));

    String above = node.place(order(CUSTOMER, item("sku-1", 4, 10)));   // 10 → 6: still at or over 5
    assertThat(node.awaitFinal(above).getString("status")).isEqualTo("CONFIRMED");
    assertThat(TestNode.await(node.store().readSubject("sku-1"), "reading sku-1"))
        .extracting(StoredEvent::type).as("only its price so far").containsExactly("ProductPriced");

    String crossing = node.place(order(CUSTOMER, item("sku-1", 2, 10))); // 6 → 4: under 5
    assertThat(node.awaitFinal(crossing).getString("status")).isEqualTo("CONFIRMED");
    List<StoredEvent> aboutSku = node.awaitSubject("sku-1", "InventoryLow and its NotificationSent for sku-1",
        events -> events.stream().map(StoredEvent::type).toList().contains("NotificationSent"));

    assertThat(aboutSku).extracting(StoredEvent::type).containsExactly("ProductPriced", "InventoryLow", "NotificationSent");
    StoredEvent low = aboutSku.get(1);
    assertThat(low.envelope().subject()).isEqualTo("sku-1");
    assertThat(low.envelope().source()).isEqualTo("/inventory");
    assertThat(low.envelope().correlationid()).isEqualTo(crossing);
    assertThat(low.envelope().data().getString("productId")).isEqualTo("sku-1");
    assertThat(low.envelope().data().getInteger("available")).isEqualTo(4);
    assertThat(low.envelope().data().getInteger("threshold")).isEqualTo(5);
    JsonObject sent = aboutSku.get(2).envelope().data();
    assertThat(sent.getString("kind")).isEqualTo("INVENTORY_LOW");
    assertThat(sent.getString("recipient")).isEqualTo("operations");
    assertThat(sent.getString("about")).isEqualTo("sku-1");
    assertThat(aboutSku.get(2).envelope().causationid()).isEqualTo(low.id());

    // a product is not an order: the orders API knows nothing about it, though its events share the log
    assertThat(node.get("/orders/sku-1").statusCode()).isEqualTo(404);
    assertThat(node.get("/orders/sku-1/events").statusCode()).isEqualTo(404);

    // already under the threshold: a further fall does not warn again
    String further = node.place(order(CUSTOMER, item("sku-1", 1, 10))); // 4 → 3
    assertThat(node.awaitFinal(further).getString("status")).isEqualTo("CONFIRMED");
    node.awaitEvent(further, "NotificationSent");
    assertThat(TestNode.await(node.store().readSubject("sku-1"), "reading sku-1"))
        .extracting(StoredEvent::type).containsExactly("ProductPriced", "InventoryLow", "NotificationSent");
  }

  @Test
  void every_order_is_notified_exactly_once_however_it_ends(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject()
        .put("payments", new JsonObject().put("maxAmount", 100))));
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      orders.add(node.place(order(CUSTOMER, item("sku-1", 1, 10))));          // confirmed
      orders.add(node.place(order(CUSTOMER, item("sku-2", 6, 20))));        // declined
      orders.add(node.place(order(CUSTOMER, item("unknown-" + i, 1, 10))));   // unavailable
    }
    Map<String, String> expectedKind = new java.util.HashMap<>();
    for (int i = 0; i < orders.size(); i++) {
      expectedKind.put(orders.get(i), i % 3 == 0 ? "ORDER_CONFIRMED" : "ORDER_CANCELLED");
    }
    for (String orderId : orders) {
      node.awaitFinal(orderId);
      node.awaitEvent(orderId, "NotificationSent");
    }
    // the notifications consumer takes the log in order: once a later order is notified, it has
    // handled everything about the earlier ones, so a second notification would be there by now
    String last = node.place(order(CUSTOMER, item("sku-3", 1, 30)));
    node.awaitEvent(last, "NotificationSent");

    for (String orderId : orders) {
      JsonArray events = node.events(orderId);
      List<JsonObject> notifications = events.stream().map(JsonObject.class::cast)
          .filter(event -> "NotificationSent".equals(event.getString("type")))
          .toList();
      assertThat(notifications).as("notifications of %s", orderId).hasSize(1);
      assertThat(notifications.get(0).getJsonObject("data").getString("kind")).isEqualTo(expectedKind.get(orderId));
      assertThat(notifications.get(0).getJsonObject("data").getString("recipient")).isEqualTo(CUSTOMER);
      assertThat(types(events).stream().filter(type -> type.startsWith("Order") && !type.equals("OrderPlaced")))
          .as("the end of %s", orderId).hasSize(1);
    }
  }

  @Test
  void orders_stay_readable_after_the_node_restarts_on_the_same_data_file(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject()
        .put("payments", new JsonObject().put("maxAmount", 100))));
    String confirmed = node.place(order(CUSTOMER, item("sku-1", 1, 10)));
    String cancelled = node.place(order(CUSTOMER, item("sku-1", 11, 10)));
    MultiMap key = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "restart-" + UUID.randomUUID());
    HttpResponse<Buffer> keyed = node.post("/orders", order(CUSTOMER, item("sku-2", 3, 20)).toBuffer(), key);
    assertThat(keyed.statusCode()).isEqualTo(202);
    JsonObject confirmedBefore = node.awaitFinal(confirmed);
    JsonObject cancelledBefore = node.awaitFinal(cancelled);
    node.awaitEvent(confirmed, "NotificationSent");
    node.awaitEvent(cancelled, "NotificationSent");
    node.awaitEvent(cancelled, "StockReleased");
    JsonArray confirmedHistory = node.events(confirmed);
    JsonArray cancelledHistory = node.events(cancelled);

    node = node.restart();

    assertThat(node.port()).isPositive();
    assertThat(node.get("/orders/" + confirmed).statusCode()).isEqualTo(200);
    assertThat(node.get("/orders/" + confirmed).bodyAsJsonObject()).isEqualTo(confirmedBefore);
    assertThat(node.get("/orders/" + cancelled).bodyAsJsonObject()).isEqualTo(cancelledBefore);
    assertThat(node.events(confirmed)).isEqualTo(confirmedHistory);
    assertThat(node.events(cancelled)).isEqualTo(cancelledHistory);
    // an idempotency key outlives the process: the retry gets the first answer, not a second order
    HttpResponse<Buffer> retried = node.post("/orders", order(CUSTOMER, item("sku-2", 3, 20)).toBuffer(), key);
    assertThat(retried.statusCode()).isEqualTo(202);
    assertThat(retried.bodyAsJsonObject()).isEqualTo(keyed.bodyAsJsonObject());
    assertThat(types(node.events(keyed.bodyAsJsonObject().getString("orderId"))).stream()
        .filter("OrderPlaced"::equals)).hasSize(1);

    // the restarted node carries on: a new order goes all the way, and nothing old is done twice
    String after = node.place(order(CUSTOMER, item("sku-1", 1, 10)));
    assertThat(node.awaitFinal(after).getString("status")).isEqualTo("CONFIRMED");
    node.awaitEvent(after, "NotificationSent");
    assertThat(node.events(confirmed)).isEqualTo(confirmedHistory);
    assertThat(node.events(cancelled)).isEqualTo(cancelledHistory);
  }
}
