package dev.switchboard.orders.api;

import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.ShippingAddress;
import dev.switchboard.orders.api.InvalidRequest.Problem;
import dev.switchboard.runtime.testing.DefaultConfig;
import dev.switchboard.runtime.testing.DefaultShop;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Reading the body of {@code POST /orders}, as a client sends it (JSON text): a valid request
 * becomes a customer and order lines; an invalid one is refused with every problem, each with the
 * path of its field.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlaceOrderRequestTest {

  private static final int MAX_ITEMS = 3;
  private static final OrdersSettings LIMITS = new OrdersSettings(MAX_ITEMS, 5, 1000, 1500, Duration.ofHours(24),
      DefaultShop.currency());

  @Test
  void a_valid_request_is_read_into_a_customer_and_its_order_lines() {
    PlaceOrderRequest request = parse("""
        {"customerId": "customer-1",
         "items": [{"productId": "sku-1", "quantity": 2, "unitPrice": 12.5},
                   {"productId": "sku-2", "quantity": 1, "unitPrice": 3}]}""");

    assertThat(request.customerId()).isEqualTo("customer-1");
    assertThat(request.items()).hasSize(2);
    assertThat(request.items().get(0).productId()).isEqualTo("sku-1");
    assertThat(request.items().get(0).quantity()).isEqualTo(2);
    assertThat(request.items().get(0).unitPrice()).isEqualByComparingTo("12.50");
    assertThat(request.items().get(1)).isEqualTo(new OrderLine("sku-2", 1, new BigDecimal("3")));
  }

  @Test
  void a_price_with_two_decimals_and_the_most_items_allowed_are_accepted() {
    PlaceOrderRequest request = parse("""
        {"customerId": "c", "items": [
          {"productId": "a", "quantity": 1, "unitPrice": 0.01},
          {"productId": "b", "quantity": 1000, "unitPrice": 1000000000},
          {"productId": "c", "quantity": 1, "unitPrice": 19.99}]}""");

    assertThat(request.items()).extracting(OrderLine::unitPrice)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(new BigDecimal("0.01"), new BigDecimal("1000000000"), new BigDecimal("19.99"));
    assertThat(request.items().get(1).quantity()).isEqualTo(1000);
  }

  @Test
  void the_canonical_form_does_not_depend_on_how_a_price_is_written() {
    PlaceOrderRequest a = parse(order(item("sku-1", 2, "12.5")));
    PlaceOrderRequest b = parse(order(item("sku-1", 2, "12.50")));
    PlaceOrderRequest c = parse(order(item("sku-1", 3, "12.50")));

    assertThat(a.canonical()).isEqualTo(b.canonical());
    assertThat(a.canonical()).isNotEqualTo(c.canonical());
  }

  @Test
  void ids_with_control_characters_are_refused_so_they_can_neither_break_a_store_nor_forge_a_log_line() {
    JsonObject body = new JsonObject().put("customerId", "c-1\nINFO forged")
        .put("items", new JsonArray().add(new JsonObject().put("productId", "sku-\u0000")
            .put("quantity", 1).put("unitPrice", 1)));

    assertThat(invalid(body).problems())
        .containsExactly(new Problem("customerId", "must not contain control characters"),
            new Problem("items[0].productId", "must not contain control characters"));
  }

  @Test
  void a_missing_customer_is_reported() {
    assertThat(problems("""
        {"items": [{"productId": "sku-1", "quantity": 1, "unitPrice": 1}]}"""))
        .containsExactly(new Problem("customerId", "is required"));
  }

  @Test
  void a_customer_that_is_not_a_string_is_reported() {
    assertThat(problems("""
        {"customerId": 42, "items": [{"productId": "sku-1", "quantity": 1, "unitPrice": 1}]}"""))
        .containsExactly(new Problem("customerId", "must be a string"));
  }

  @Test
  void a_blank_customer_is_reported() {
    assertThat(problems("""
        {"customerId": "  ", "items": [{"productId": "sku-1", "quantity": 1, "unitPrice": 1}]}"""))
        .containsExactly(new Problem("customerId", "must not be blank"));
  }

  @Test
  void a_customer_id_over_a_hundred_characters_is_reported() {
    JsonObject body = new JsonObject(order(item("sku-1", 1, "1"))).put("customerId", "c".repeat(101));

    assertThat(problems(body)).containsExactly(new Problem("customerId", "must be at most 100 characters"));
  }

  @Test
  void missing_items_are_reported() {
    assertThat(problems("""
        {"customerId": "customer-1"}"""))
        .containsExactly(new Problem("items", "is required"));
  }

  @Test
  void items_that_are_not_an_array_are_reported() {
    assertThat(problems("""
        {"customerId": "customer-1", "items": {"productId": "sku-1", "quantity": 1, "unitPrice": 1}}"""))
        .containsExactly(new Problem("items", "must be an array"));
  }

  @Test
  void an_order_of_no_items_is_reported() {
    assertThat(problems("""
        {"customerId": "customer-1", "items": []}"""))
        .containsExactly(new Problem("items", "must hold at least one item"));
  }

  @Test
  void an_order_of_more_items_than_allowed_is_reported_with_the_limit_and_the_count() {
    assertThat(problems(order(item("a", 1, "1"), item("b", 1, "1"), item("c", 1, "1"), item("d", 1, "1"))))
        .containsExactly(new Problem("items", "must hold at most 3 items, has 4"));
  }

  @Test
  void an_item_that_is_not_an_object_is_reported_with_its_index() {
    assertThat(problems("""
        {"customerId": "customer-1", "items": [{"productId": "sku-1", "quantity": 1, "unitPrice": 1}, "sku-2"]}"""))
        .containsExactly(new Problem("items[1]", "must be an object"));
  }

  @Test
  void a_missing_field_of_an_item_is_reported_with_its_path() {
    assertThat(problems("""
        {"customerId": "customer-1", "items": [{"quantity": 1}]}"""))
        .containsExactly(new Problem("items[0].productId", "is required"));
  }

  @Test
  void a_line_without_a_price_is_taken_to_be_priced_from_the_catalog() {
    PlaceOrderRequest request = parse("""
        {"customerId": "customer-1", "items": [{"productId": "sku-1", "quantity": 2}]}""");

    assertThat(request.items()).containsExactly(new OrderLine("sku-1", 2, null));
  }

  @Test
  void a_product_id_that_is_not_a_string_is_reported() {
    assertThat(problems("""
        {"customerId": "customer-1", "items": [{"productId": 17, "quantity": 1, "unitPrice": 1}]}"""))
        .containsExactly(new Problem("items[0].productId", "must be a string"));
  }

  @ParameterizedTest(name = "quantity {0}")
  @ValueSource(strings = {"0", "-1", "-1000"})
  void a_quantity_under_one_is_reported(String quantity) {
    assertThat(problems(order(item("sku-1", quantity, "1"))))
        .containsExactly(new Problem("items[0].quantity", "must be positive"));
  }

  @ParameterizedTest(name = "quantity {0}")
  @ValueSource(strings = {"2.5", "\"2\"", "true", "1.0E2"})
  void a_quantity_that_is_not_a_whole_number_is_reported(String quantity) {
    assertThat(problems(order(item("sku-1", quantity, "1"))))
        .containsExactly(new Problem("items[0].quantity", "must be a whole number"));
  }

  @Test
  void a_quantity_over_the_most_a_line_may_ask_for_is_reported() {
    assertThat(problems(order(item("sku-1", "1001", "1"))))
        .containsExactly(new Problem("items[0].quantity", "must be at most 1000"));
  }

  @Test
  void an_order_asking_for_more_units_in_all_than_an_order_may_is_reported() {
    assertThat(problems(order(item("sku-1", 1000, "1"), item("sku-2", 501, "1"))))
        .containsExactly(new Problem("items", "must ask for at most 1500 units in all, asks for 1501"));
  }

  @ParameterizedTest(name = "unit price {0}")
  @ValueSource(strings = {"0", "0.00", "-1", "-0.01"})
  void a_unit_price_of_zero_or_less_is_reported(String unitPrice) {
    assertThat(problems(order(item("sku-1", 1, unitPrice))))
        .containsExactly(new Problem("items[0].unitPrice", "must be positive"));
  }

  @ParameterizedTest(name = "unit price {0}")
  @ValueSource(strings = {"\"9.99\"", "false", "[1]"})
  void a_unit_price_that_is_not_a_number_is_reported(String unitPrice) {
    assertThat(problems(order(item("sku-1", 1, unitPrice))))
        .containsExactly(new Problem("items[0].unitPrice", "must be a number"));
  }

  @ParameterizedTest(name = "unit price {0}")
  @ValueSource(strings = {"1.234", "0.001", "12.345"})
  void a_unit_price_with_more_than_two_decimals_is_reported(String unitPrice) {
    assertThat(problems(order(item("sku-1", 1, unitPrice))))
        .containsExactly(new Problem("items[0].unitPrice", "must have at most 2 decimal places"));
  }

  @Test
  void a_unit_price_over_a_billion_is_reported() {
    assertThat(problems(order(item("sku-1", 1, "1000000000.01"))))
        .containsExactly(new Problem("items[0].unitPrice", "must be at most 1000000000"));
  }

  @Test
  void a_unit_price_too_large_for_a_double_is_reported_not_thrown() {
    assertThat(problems(order(item("sku-1", 1, "1e400"))))
        .containsExactly(new Problem("items[0].unitPrice", "must be at most 1000000000"));
    assertThat(problems(order(item("sku-1", 1, "-1e400"))))
        .containsExactly(new Problem("items[0].unitPrice", "must be positive"));
  }

  @Test
  void every_problem_is_reported_at_once_each_with_its_field() {
    InvalidRequest invalid = invalid(new JsonObject("""
        {"customerId": 1,
         "items": [{"productId": "sku-1", "quantity": 0, "unitPrice": "free"},
                   7,
                   {"productId": "sku-2", "quantity": 2.5, "unitPrice": 1.234},
                   {"productId": "sku-3", "quantity": 1, "unitPrice": 1}]}"""), new OrdersSettings(10, 5, 1000, 1500, Duration.ofHours(24),
                       DefaultShop.currency()));

    assertThat(invalid.problems()).containsExactly(
        new Problem("customerId", "must be a string"),
        new Problem("items[0].quantity", "must be positive"),
        new Problem("items[0].unitPrice", "must be a number"),
        new Problem("items[1]", "must be an object"),
        new Problem("items[2].quantity", "must be a whole number"),
        new Problem("items[2].unitPrice", "must have at most 2 decimal places"));
    assertThat(invalid.getMessage()).isEqualTo("The order is not valid.");
  }

  @Test
  void the_problems_become_an_error_body_with_one_sentence_and_the_details() {
    InvalidRequest invalid = invalid(new JsonObject());

    assertThat(invalid.toJson()).isEqualTo(new JsonObject()
        .put("error", "The order is not valid.")
        .put("details", new JsonArray()
            .add(new JsonObject().put("field", "customerId").put("problem", "is required"))
            .add(new JsonObject().put("field", "items").put("problem", "is required"))));
  }

  @Test
  void a_shipping_address_given_is_read_and_one_left_out_is_none() {
    PlaceOrderRequest request = PlaceOrderRequest.parse(new JsonObject(order(item("sku-1", 1, "10")))
        .put("shippingAddress", new JsonObject().put("recipient", "Ada").put("street", "1 Main St")
            .put("city", "Basel").put("country", "CH")), LIMITS);

    assertThat(request.shippingAddress()).isEqualTo(new ShippingAddress("Ada", "1 Main St", "Basel", null, "CH"));
    assertThat(parse(order(item("sku-1", 1, "10"))).shippingAddress()).isNull();
  }

  @Test
  void a_shipping_address_with_problems_is_refused_with_each_named() {
    JsonObject address = new JsonObject().put("recipient", " ").put("street", 7).put("city", "Basel")
        .put("postalCode", "x".repeat(21)).put("country", "ch");

    List<Problem> problems = problems(new JsonObject(order(item("sku-1", 1, "10"))).put("shippingAddress", address));

    assertThat(problems).containsExactlyInAnyOrder(
        new Problem("shippingAddress.recipient", "must not be blank"),
        new Problem("shippingAddress.street", "must be a string"),
        new Problem("shippingAddress.postalCode", "must be at most 20 characters"),
        new Problem("shippingAddress.country", "must be an ISO 3166-1 alpha-2 country code in capitals, such as DE"));
  }

  @Test
  void a_shipping_address_that_is_not_an_object_is_refused() {
    assertThat(problems(new JsonObject(order(item("sku-1", 1, "10"))).put("shippingAddress", "Basel")))
        .containsExactly(new Problem("shippingAddress", "must be an object"));
  }

  @Test
  void the_same_order_to_another_address_is_another_request_under_an_idempotency_key() {
    JsonObject body = new JsonObject(order(item("sku-1", 1, "10")));
    JsonObject address = new JsonObject().put("recipient", "Ada").put("street", "1 Main St").put("city", "Basel")
        .put("country", "CH");

    JsonObject without = PlaceOrderRequest.parse(body, LIMITS).canonical();
    JsonObject to = PlaceOrderRequest.parse(body.copy().put("shippingAddress", address), LIMITS).canonical();
    JsonObject elsewhere = PlaceOrderRequest.parse(body.copy().put("shippingAddress", address.copy().put("city", "Bern")),
        LIMITS).canonical();

    assertThat(without.containsKey("shippingAddress")).as("as before addresses existed").isFalse();
    assertThat(to).isNotEqualTo(without).isNotEqualTo(elsewhere);
  }

  @Test
  void a_shop_currency_that_is_no_iso_4217_code_stops_the_start() {
    assertThatThrownBy(() -> OrdersSettings.from(DefaultConfig.section(new JsonObject().put("currency", "euro"), "orders")))
        .hasMessageStartingWith("orders.currency");
    assertThat(OrdersSettings.from(DefaultConfig.section(new JsonObject().put("currency", "JPY"), "orders")).currency()).isEqualTo("JPY");
  }

  // ------------------------------------------------------------------ helpers

  private static PlaceOrderRequest parse(String json) {
    return PlaceOrderRequest.parse(new JsonObject(json), LIMITS);
  }

  private static List<Problem> problems(String json) {
    return problems(new JsonObject(json));
  }

  private static List<Problem> problems(JsonObject body) {
    return invalid(body).problems();
  }

  private static InvalidRequest invalid(JsonObject body) {
    return invalid(body, LIMITS);
  }

  private static InvalidRequest invalid(JsonObject body, OrdersSettings limits) {
    InvalidRequest invalid = catchThrowableOfType(InvalidRequest.class, () -> PlaceOrderRequest.parse(body, limits));
    assertThat(invalid).as("the request is refused").isNotNull();
    return invalid;
  }

  /** A request of customer-1 with these items, each written as JSON text. */
  private static String order(String... items) {
    return "{\"customerId\": \"customer-1\", \"items\": [" + String.join(", ", items) + "]}";
  }

  private static String item(String productId, Object quantity, String unitPrice) {
    return "{\"productId\": \"" + productId + "\", \"quantity\": " + quantity + ", \"unitPrice\": " + unitPrice + "}";
  }
}
