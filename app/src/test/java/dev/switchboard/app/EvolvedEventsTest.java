package dev.switchboard.app;

import dev.switchboard.app.config.ConfigurationError;
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
import java.util.UUID;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log of mixed versions on a real node: orders written as {@code OrderPlaced} v1 (by a node of the
 * previous release) go through the saga like new ones, read in the shop's currency; new orders are
 * written as v2, with a currency and, when given, a shipping address; a decline carries its code.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EvolvedEventsTest {

  private static final JsonObject SHOP_IN_FRANCS = new JsonObject().put("orders", new JsonObject().put("currency", "CHF"));
  private static final JsonObject ADDRESS = new JsonObject().put("recipient", "Ada Lovelace")
      .put("street", "12 St James's Square").put("city", "London").put("postalCode", "SW1Y 4JH").put("country", "GB");

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
  void an_order_placed_as_v1_by_an_older_node_is_confirmed_and_read_in_the_shops_currency(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, SHOP_IN_FRANCS));
    String orderId = placeAsV1("customer-1");

    JsonObject view = node.awaitFinal(orderId);

    assertThat(view.getString("status")).isEqualTo("CONFIRMED");
    assertThat(view.getString("currency")).isEqualTo("CHF");
    assertThat(view.containsKey("shippingAddress")).isFalse();
  }

  @Test
  void a_node_whose_shop_currency_is_not_an_iso_4217_code_refuses_to_start_and_says_why(Vertx vertx) {
    JsonObject config = TestNode.config(dir, new JsonObject().put("orders", new JsonObject().put("currency", "EURO")));

    Throwable failure = TestNode.startFailure(vertx, config);

    assertThat(failure).isInstanceOf(ConfigurationError.class).hasMessageContaining("orders.currency");
  }

  @Test
  void the_events_of_an_order_answer_as_stored_and_on_request_in_the_newest_shape(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, SHOP_IN_FRANCS));
    String orderId = placeAsV1("customer-1");
    node.awaitEvent(orderId, "OrderConfirmed");

    JsonObject stored = placed(node.events(orderId));
    JsonObject latest = placed(events(orderId, "?shape=latest"));

    assertThat(stored.getInteger("dataversion")).isEqualTo(1);
    assertThat(stored.getString("dataschema")).isEqualTo("urn:switchboard:schema:OrderPlaced:1");
    assertThat(stored.getJsonObject("data").containsKey("currency")).isFalse();
    assertThat(placed(events(orderId, "?shape=stored"))).isEqualTo(stored);
    assertThat(latest.getInteger("dataversion")).isEqualTo(2);
    assertThat(latest.getString("dataschema")).isEqualTo("urn:switchboard:schema:OrderPlaced:2");
    assertThat(latest.getJsonObject("data").getString("currency")).isEqualTo("CHF");
    assertThat(latest.getString("id")).isEqualTo(stored.getString("id"));
  }

  @Test
  void a_shape_other_than_stored_or_latest_is_a_400_naming_the_parameter(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String orderId = node.place(order("customer-1", item("sku-1", 1, 10)));

    HttpResponse<Buffer> response = node.get("/orders/" + orderId + "/events?shape=newest");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject detail = response.bodyAsJsonObject().getJsonArray("details").getJsonObject(0);
    assertThat(detail.getString("field")).isEqualTo("shape");
    assertThat(detail.getString("problem")).contains("stored", "latest");
  }

  @Test
  void a_new_order_is_written_as_v2_with_the_shops_currency_and_the_address_given(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, SHOP_IN_FRANCS));
    String orderId = node.place(order("customer-1", item("sku-1", 2, 10)).put("shippingAddress", ADDRESS));

    JsonObject view = node.awaitFinal(orderId);
    JsonObject placed = placed(node.events(orderId));

    assertThat(placed.getInteger("dataversion")).isEqualTo(2);
    assertThat(placed.getString("dataschema")).isEqualTo("urn:switchboard:schema:OrderPlaced:2");
    assertThat(placed.getJsonObject("data").getString("currency")).isEqualTo("CHF");
    assertThat(placed.getJsonObject("data").getJsonObject("shippingAddress")).isEqualTo(ADDRESS);
    assertThat(view.getJsonObject("shippingAddress")).isEqualTo(ADDRESS);
    assertThat(view.getString("currency")).isEqualTo("CHF");
  }

  @Test
  void a_declined_payment_says_why_in_a_code_beside_the_text(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String orderId = node.place(order("customer-1", item("sku-5", 201, 50)));

    JsonObject declined = node.awaitEvent(orderId, "PaymentDeclined").stream().map(JsonObject.class::cast)
        .filter(event -> event.getString("type").equals("PaymentDeclined")).findFirst().orElseThrow();

    assertThat(declined.getInteger("dataversion")).isEqualTo(2);
    assertThat(declined.getJsonObject("data").getString("reasonCode")).isEqualTo("LIMIT_EXCEEDED");
    assertThat(declined.getJsonObject("data").getString("reason")).contains("over the limit");
  }

  @Test
  void an_address_with_problems_is_a_400_naming_each_field(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    JsonObject address = ADDRESS.copy().put("country", "Britain");
    address.remove("city");

    HttpResponse<Buffer> response = node.post("/orders",
        order("customer-1", item("sku-1", 1, 10)).put("shippingAddress", address));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonArray("details").stream().map(JsonObject.class::cast)
        .map(detail -> detail.getString("field")).toList())
        .containsExactlyInAnyOrder("shippingAddress.city", "shippingAddress.country");
  }

  @Test
  void the_orders_read_model_rebuilt_from_a_log_of_both_versions_equals_the_one_built_live(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, SHOP_IN_FRANCS));
    List<String> orders = List.of(placeAsV1("customer-1"),
        node.place(order("customer-2", item("sku-2", 1, 20)).put("shippingAddress", ADDRESS)),
        placeAsV1("customer-3"),
        node.place(order("customer-4", item("sku-5", 201, 50))));
    List<JsonObject> live = orders.stream().map(node::awaitFinal).toList();
    TestNode.poll("the orders read model to catch up", () -> orders("lag"), lag -> lag == 0);

    assertThat(node.post("/admin/projections/orders/rebuild", new JsonObject()).statusCode()).isEqualTo(202);
    TestNode.poll("the rebuilt generation to serve", () -> orders("generation"), generation -> generation == 2);

    assertThat(orders.stream().map(orderId -> node.get("/orders/" + orderId).bodyAsJsonObject()).toList())
        .isEqualTo(live);
  }

  /** Appends an order as a node of the previous release did: OrderPlaced v1, no currency. */
  private String placeAsV1(String customerId) {
    String orderId = "order-" + UUID.randomUUID();
    JsonObject data = new JsonObject().put("orderId", orderId).put("customerId", customerId).put("total", 10.00)
        .put("items", new JsonArray().add(new JsonObject().put("productId", "sku-1").put("quantity", 1)
            .put("unitPrice", 10.00)));
    node.appendOrderPlaced(1, data);
    return orderId;
  }

  private JsonArray events(String orderId, String query) {
    HttpResponse<Buffer> response = node.get("/orders/" + orderId + "/events" + query);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("events");
  }

  private static JsonObject placed(JsonArray events) {
    return events.stream().map(JsonObject.class::cast).filter(event -> event.getString("type").equals("OrderPlaced"))
        .findFirst().orElseThrow();
  }

  private long orders(String field) {
    JsonArray items = node.get("/admin/projections").bodyAsJsonObject().getJsonArray("items");
    return items.stream().map(JsonObject.class::cast).filter(item -> item.getString("name").equals("orders"))
        .findFirst().orElseThrow().getLong(field);
  }
}
