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
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.switchboard.app.TestNode.await;
import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static dev.switchboard.app.TestNode.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The HTTP contract of DESIGN.md section 5, against a real node over a real socket: what a client
 * sends and what it gets back, for the happy path and for every mistake a client can make.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpContractTest {

  private static final String JSON = "application/json";
  private static final String KEY = "Idempotency-Key";

  @TempDir
  static Path dir;

  private static TestNode node;

  @BeforeAll
  static void startTheNode(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
  }

  @AfterAll
  static void stopTheNode() {
    node.stop();
  }

  // ---- POST /orders, accepted ----------------------------------------------------------------

  @Test
  void the_buyer_does_not_set_the_price_one_other_than_the_catalogs_is_refused_with_409_naming_it() {
    HttpResponse<Buffer> response = node.post("/orders", order(newCustomer(), item("sku-2", 1000, 0.01)));

    assertThat(response.statusCode()).isEqualTo(409);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error")).isNotBlank();
    assertThat(body.getJsonArray("details")).containsExactly(new JsonObject()
        .put("field", "items[0].unitPrice").put("problem", "the catalog prices sku-2 at 20.00"));
  }

  @Test
  void a_line_without_a_price_is_priced_from_the_catalog() {
    JsonObject unpriced = new JsonObject().put("customerId", newCustomer()).put("items", new JsonArray()
        .add(new JsonObject().put("productId", "sku-3").put("quantity", 2)));

    HttpResponse<Buffer> response = node.post("/orders", unpriced);

    assertThat(response.statusCode()).isEqualTo(202);
    JsonObject view = node.get(response.getHeader("Location")).bodyAsJsonObject();
    assertThat(number(view.getValue("total"))).isEqualByComparingTo("60");
    assertThat(number(view.getJsonArray("items").getJsonObject(0).getValue("unitPrice"))).isEqualByComparingTo("30");
  }

  @Test
  void an_order_is_accepted_with_202_its_id_pending_and_a_location_that_is_readable_at_once() {
    String customer = newCustomer();
    HttpResponse<Buffer> response = node.post("/orders", order(customer, item("sku-1", 2, 10), item("sku-2", 1, 20)));

    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("orderId", "status");
    assertThat(body.getString("status")).isEqualTo("PENDING");
    String orderId = body.getString("orderId");
    assertThat(orderId).isNotBlank();
    assertThat(response.getHeader("Location")).isEqualTo("/orders/" + orderId);

    HttpResponse<Buffer> read = node.get(response.getHeader("Location"));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.getHeader("Content-Type")).startsWith(JSON);
    JsonObject view = read.bodyAsJsonObject();
    assertThat(view.getString("orderId")).isEqualTo(orderId);
    assertThat(view.getString("status")).isIn("PENDING", "CONFIRMED");
    assertThat(number(view.getValue("total"))).isEqualByComparingTo("40");
    assertThat(view.getJsonArray("items")).hasSize(2);
    assertThat(view.getJsonArray("items").getJsonObject(0).getString("productId")).isEqualTo("sku-1");
    assertThat(view.getJsonArray("items").getJsonObject(0).getInteger("quantity")).isEqualTo(2);
    assertThat(number(view.getJsonArray("items").getJsonObject(0).getValue("unitPrice"))).isEqualByComparingTo("10");
    assertThat(view.getString("updatedAt")).isNotBlank();
    assertThat(view.containsKey("reason")).isFalse();

    HttpResponse<Buffer> events = node.get("/orders/" + orderId + "/events");
    assertThat(events.statusCode()).isEqualTo(200);
    assertThat(types(events.bodyAsJsonObject().getJsonArray("events"))).first().isEqualTo("OrderPlaced");
  }

  @Test
  void the_location_of_every_accepted_order_is_readable_at_once_even_under_load() {
    String customer = newCustomer();
    Buffer order = order(customer, item("sku-1", 1, 10)).toBuffer();

    // each GET leaves the moment its POST is answered, while other orders are still being placed
    List<Future<int[]>> pairs = IntStream.range(0, 30)
        .mapToObj(i -> node.postAsync("/orders", order, MultiMap.caseInsensitiveMultiMap())
            .compose(placed -> node.client().get(placed.getHeader("Location")).send()
                .map(read -> new int[] {placed.statusCode(), read.statusCode()})))
        .toList();

    for (Future<int[]> pair : pairs) {
      int[] statuses = await(pair, "a POST and the GET of its Location");
      assertThat(statuses[0]).isEqualTo(202);
      assertThat(statuses[1]).as("GET of a Location just answered").isEqualTo(200);
    }
    assertThat(ordersPlacedBy(customer)).hasSize(30);
  }

  // ---- POST /orders, refused -----------------------------------------------------------------

  static Stream<Arguments> invalidOrders() {
    String valid = "{\"productId\":\"sku-1\",\"quantity\":1,\"unitPrice\":10}";
    JsonArray tooMany = new JsonArray();
    IntStream.range(0, 101).forEach(i -> tooMany.add(item("sku-1", 1, 10)));
    return Stream.of(
        arguments("malformed JSON", "{\"customerId\":\"c-1\",\"items\":[", "(body)"),
        arguments("a JSON array", "[{\"customerId\":\"c-1\",\"items\":[" + valid + "]}]", "(body)"),
        arguments("an empty body", "", "(body)"),
        arguments("a JSON string", "\"an order\"", "(body)"),
        arguments("a JSON number", "42", "(body)"),
        arguments("JSON null", "null", "(body)"),
        arguments("a missing customerId", "{\"items\":[" + valid + "]}", "customerId"),
        arguments("a null customerId", "{\"customerId\":null,\"items\":[" + valid + "]}", "customerId"),
        arguments("a blank customerId", "{\"customerId\":\"  \",\"items\":[" + valid + "]}", "customerId"),
        arguments("a number for customerId", "{\"customerId\":12,\"items\":[" + valid + "]}", "customerId"),
        arguments("missing items", "{\"customerId\":\"c-1\"}", "items"),
        arguments("items not an array", "{\"customerId\":\"c-1\",\"items\":{}}", "items"),
        arguments("empty items", "{\"customerId\":\"c-1\",\"items\":[]}", "items"),
        arguments("more than orders.maxItems items", order("c-1").put("items", tooMany).encode(), "items"),
        arguments("an item that is not an object", "{\"customerId\":\"c-1\",\"items\":[\"sku-1\"]}", "items[0]"),
        arguments("a null item", "{\"customerId\":\"c-1\",\"items\":[" + valid + ",null]}", "items[1]"),
        arguments("a missing productId", "{\"customerId\":\"c-1\",\"items\":[{\"quantity\":1,\"unitPrice\":1}]}",
            "items[0].productId"),
        arguments("a number for productId", line("7", "1", "1"), "items[0].productId"),
        arguments("a string for quantity", line("\"sku-1\"", "\"2\"", "1"), "items[0].quantity"),
        arguments("a fractional quantity", line("\"sku-1\"", "2.5", "1"), "items[0].quantity"),
        arguments("quantity 0", line("\"sku-1\"", "0", "1"), "items[0].quantity"),
        arguments("a negative quantity", line("\"sku-1\"", "-3", "1"), "items[0].quantity"),
        arguments("a huge quantity", line("\"sku-1\"", "99999999999999999999999", "1"), "items[0].quantity"),
        arguments("a missing quantity", "{\"customerId\":\"c-1\",\"items\":[{\"productId\":\"sku-1\",\"unitPrice\":1}]}",
            "items[0].quantity"),
        arguments("a string for unitPrice", line("\"sku-1\"", "1", "\"10\""), "items[0].unitPrice"),
        arguments("a boolean for unitPrice", line("\"sku-1\"", "1", "true"), "items[0].unitPrice"),
        arguments("unitPrice 0", line("\"sku-1\"", "1", "0"), "items[0].unitPrice"),
        arguments("a negative unitPrice", line("\"sku-1\"", "1", "-10"), "items[0].unitPrice"),
        arguments("a unitPrice with three decimals", line("\"sku-1\"", "1", "1.001"), "items[0].unitPrice"),
        arguments("a unitPrice too large for a double", line("\"sku-1\"", "1", "1e400"), "items[0].unitPrice"),
        arguments("a mistake in the second item",
            "{\"customerId\":\"c-1\",\"items\":[" + valid + ",{\"productId\":\"sku-2\",\"quantity\":0,\"unitPrice\":1}]}",
            "items[1].quantity"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidOrders")
  void an_invalid_order_is_refused_with_400_naming_the_field(String mistake, String body, String field) {
    HttpResponse<Buffer> response = node.post("/orders", Buffer.buffer(body), MultiMap.caseInsensitiveMultiMap());

    assertThat(response.statusCode()).as("status for %s: %s", mistake, response.bodyAsString()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    assertThat(response.getHeader("Location")).isNull();
    JsonObject error = response.bodyAsJsonObject();
    assertThat(error.getString("error")).isNotBlank();
    JsonArray details = error.getJsonArray("details");
    assertThat(details).isNotEmpty();
    List<String> fields = new ArrayList<>();
    for (Object detail : details) {
      JsonObject problem = (JsonObject) detail;
      assertThat(problem.getString("field")).isNotBlank();
      assertThat(problem.getString("problem")).isNotBlank();
      fields.add(problem.getString("field"));
    }
    assertThat(fields).as("the fields named for %s", mistake).contains(field);
  }

  static Stream<Arguments> oddBodies() {
    byte[] invalidUtf8 = {'{', '"', 'c', 'u', 's', 't', 'o', 'm', 'e', 'r', 'I', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    return Stream.of(
        arguments("bytes that are not UTF-8", JSON, Buffer.buffer(invalidUtf8)),
        arguments("arrays nested 20,000 deep", JSON, Buffer.buffer("[".repeat(20_000) + "]".repeat(20_000))),
        arguments("objects nested 10,000 deep", JSON,
            Buffer.buffer("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))),
        arguments("a JSON document followed by garbage", JSON, Buffer.buffer("{\"customerId\":\"c-1\"} trailing")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oddBodies")
  void an_odd_body_is_a_400_and_never_a_500(String what, String contentType, Buffer body) {
    HttpResponse<Buffer> response = node.post("/orders", body,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType));

    assertThat(response.statusCode()).as("status for %s: %s", what, response.bodyAsString()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
    assertThat(response.bodyAsJsonObject().getJsonArray("details")).isNotEmpty();
  }

  static Stream<Arguments> formsABrowserSendsCrossSite() {
    return Stream.of(
        arguments("a form", "application/x-www-form-urlencoded", Buffer.buffer("customerId=c-1&items=sku-1")),
        arguments("plain text", "text/plain", Buffer.buffer("{\"customerId\":\"c-1\",\"items\":[{\"productId\":\"sku-1\",\"quantity\":1}]}")),
        arguments("a multipart form", "multipart/form-data; boundary=XyZ",
            Buffer.buffer("--XyZ\r\nContent-Disposition: form-data; name=\"customerId\"\r\n\r\nc-1\r\n--XyZ--\r\n")));
  }

  /** A page of any site can make a browser send these without asking first: none may place an order. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formsABrowserSendsCrossSite")
  void a_body_that_is_not_declared_json_is_a_415_and_places_nothing(String what, String contentType, Buffer body) {
    HttpResponse<Buffer> response = node.post("/orders", body,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", contentType));

    assertThat(response.statusCode()).as("status for %s: %s", what, response.bodyAsString()).isEqualTo(415);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("application/json");
  }

  @Test
  void every_problem_of_an_order_is_reported_at_once() {
    HttpResponse<Buffer> response = node.post("/orders", new JsonObject()
        .put("customerId", 5)
        .put("items", new JsonArray().add(item("sku-1", 0, "x")).add(item("sku-2", 1, 1)).add(item(null, 1.5, -1))));

    assertThat(response.statusCode()).isEqualTo(400);
    JsonArray details = response.bodyAsJsonObject().getJsonArray("details");
    assertThat(details.stream().map(detail -> ((JsonObject) detail).getString("field")))
        .containsExactlyInAnyOrder("customerId", "items[0].quantity", "items[0].unitPrice",
            "items[2].productId", "items[2].quantity", "items[2].unitPrice");
  }

  @Test
  void a_refused_order_leaves_no_order_behind() {
    String customer = newCustomer();
    HttpResponse<Buffer> response = node.post("/orders", order(customer, item("sku-1", 0, 10)));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(ordersPlacedBy(customer)).isEmpty();
  }

  @Test
  void a_body_over_the_limit_is_refused_with_413_and_a_json_error() {
    long limit = node.config().getJsonObject("http").getLong("maxBodyBytes");
    String padding = "x".repeat((int) limit + 1024);
    HttpResponse<Buffer> response = node.post("/orders", order(padding, item("sku-1", 1, 10)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
  }

  @Test
  void a_body_just_under_the_limit_is_read() {
    long limit = node.config().getJsonObject("http").getLong("maxBodyBytes");
    JsonObject order = order("c-1", item("sku-1", 1, 10));
    // a field the order does not know, to make the body as large as allowed without changing what it means
    String padding = "x".repeat((int) limit - order.put("padding", "").encode().length() - 16);
    HttpResponse<Buffer> response = node.post("/orders", order.put("padding", padding));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(202);
  }

  // ---- GET, and what does not exist -----------------------------------------------------------

  @Test
  void an_unknown_order_is_404_with_a_json_error() {
    String unknown = UUID.randomUUID().toString();
    assertJsonError(node.get("/orders/" + unknown), 404);
    assertJsonError(node.get("/orders/" + unknown + "/events"), 404);
  }

  @Test
  void an_unknown_route_is_404_with_a_json_error() {
    assertJsonError(node.get("/no-such-thing"), 404);
    assertJsonError(node.get("/orders/a/b/c"), 404);
    assertJsonError(node.request(HttpMethod.POST, "/nothing-here"), 404);
  }

  @Test
  void a_wrong_method_is_405_or_404_with_a_json_error() {
    String orderId = node.place(order(newCustomer(), item("sku-1", 1, 10)));
    for (HttpResponse<Buffer> response : List.of(
        node.request(HttpMethod.DELETE, "/orders"),
        node.request(HttpMethod.PATCH, "/orders"),
        node.request(HttpMethod.PUT, "/orders/" + orderId),
        node.request(HttpMethod.DELETE, "/orders/" + orderId),
        node.request(HttpMethod.POST, "/health"))) {
      assertThat(response.statusCode()).isIn(404, 405);
      assertThat(response.getHeader("Content-Type")).startsWith(JSON);
      assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
    }
    // and the order was not touched by any of it
    assertThat(node.get("/orders/" + orderId).statusCode()).isEqualTo(200);
  }

  @Test
  void a_path_with_a_broken_escape_is_400_with_a_json_error() {
    assertJsonError(node.get("/orders/x%ZZ"), 400);
    assertJsonError(node.get("/orders/%G0/events"), 400);
  }

  // ---- Idempotency-Key -----------------------------------------------------------------------

  @Test
  void the_same_request_twice_under_one_key_gets_the_first_answer_and_makes_one_order() {
    String customer = newCustomer();
    String key = UUID.randomUUID().toString();
    JsonObject order = order(customer, item("sku-1", 1, 10));

    HttpResponse<Buffer> first = node.post("/orders", order.toBuffer(), withKey(key));
    HttpResponse<Buffer> second = node.post("/orders", order.toBuffer(), withKey(key));

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(first.statusCode());
    assertThat(second.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(second.getHeader("Location")).isEqualTo(first.getHeader("Location"));
    String orderId = first.bodyAsJsonObject().getString("orderId");
    assertThat(types(node.events(orderId)).stream().filter("OrderPlaced"::equals)).hasSize(1);
    assertThat(ordersPlacedBy(customer)).containsExactly(orderId);
  }

  @Test
  void a_retry_that_writes_the_same_request_differently_is_still_the_same_request() {
    String customer = newCustomer();
    String key = UUID.randomUUID().toString();
    String first = "{\"customerId\":\"" + customer + "\",\"items\":[{\"productId\":\"sku-1\",\"quantity\":2,\"unitPrice\":10}]}";
    String again = "{\"items\":[{\"unitPrice\":10.00,\"quantity\":2,\"productId\":\"sku-1\"}],\"customerId\":\"" + customer + "\"}";

    HttpResponse<Buffer> one = node.post("/orders", Buffer.buffer(first), withKey(key));
    HttpResponse<Buffer> two = node.post("/orders", Buffer.buffer(again), withKey(key));

    assertThat(one.statusCode()).isEqualTo(202);
    assertThat(two.statusCode()).isEqualTo(202);
    assertThat(two.bodyAsJsonObject()).isEqualTo(one.bodyAsJsonObject());
    assertThat(ordersPlacedBy(customer)).hasSize(1);
  }

  @Test
  void a_key_reused_with_another_request_is_refused_with_422() {
    String customer = newCustomer();
    String key = UUID.randomUUID().toString();

    HttpResponse<Buffer> first = node.post("/orders", order(customer, item("sku-1", 1, 10)).toBuffer(), withKey(key));
    HttpResponse<Buffer> other = node.post("/orders", order(customer, item("sku-1", 2, 10)).toBuffer(), withKey(key));

    assertThat(first.statusCode()).isEqualTo(202);
    assertJsonError(other, 422);
    assertThat(other.getHeader("Location")).isNull();
    assertThat(ordersPlacedBy(customer)).containsExactly(first.bodyAsJsonObject().getString("orderId"));
  }

  @Test
  void different_keys_make_different_orders() {
    String customer = newCustomer();
    JsonObject order = order(customer, item("sku-1", 1, 10));

    HttpResponse<Buffer> one = node.post("/orders", order.toBuffer(), withKey(UUID.randomUUID().toString()));
    HttpResponse<Buffer> two = node.post("/orders", order.toBuffer(), withKey(UUID.randomUUID().toString()));

    assertThat(one.bodyAsJsonObject().getString("orderId")).isNotEqualTo(two.bodyAsJsonObject().getString("orderId"));
    assertThat(ordersPlacedBy(customer)).hasSize(2);
  }

  @Test
  void an_idempotency_key_of_255_characters_is_taken_and_one_of_256_is_refused_with_400() {
    String customer = newCustomer();
    JsonObject order = order(customer, item("sku-1", 1, 10));
    String longest = UUID.randomUUID() + "k".repeat(255 - 36);

    HttpResponse<Buffer> tooLong = node.post("/orders", order.toBuffer(), withKey(longest + "k"));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.bodyAsJsonObject().getString("error")).isNotBlank();
    assertThat(tooLong.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"))
        .isEqualTo(KEY);
    assertThat(ordersPlacedBy(customer)).isEmpty();

    HttpResponse<Buffer> longestTaken = node.post("/orders", order.toBuffer(), withKey(longest));
    assertThat(longestTaken.statusCode()).isEqualTo(202);
  }

  @Test
  void a_blank_idempotency_key_is_refused_with_400() {
    HttpResponse<Buffer> response = node.post("/orders", order(newCustomer(), item("sku-1", 1, 10)).toBuffer(),
        withKey("   "));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo(KEY);
  }

  @Test
  void concurrent_requests_under_one_key_make_one_order_and_get_the_same_answer() {
    String customer = newCustomer();
    String key = UUID.randomUUID().toString();
    Buffer order = order(customer, item("sku-1", 1, 10)).toBuffer();

    List<Future<HttpResponse<Buffer>>> inFlight = IntStream.range(0, 8)
        .mapToObj(i -> node.postAsync("/orders", order, withKey(key)))
        .toList();
    List<HttpResponse<Buffer>> answers = inFlight.stream().map(future -> await(future, "a concurrent POST")).toList();

    for (HttpResponse<Buffer> answer : answers) {
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(202);
    }
    Set<String> orderIds = answers.stream()
        .map(answer -> answer.bodyAsJsonObject().getString("orderId"))
        .collect(java.util.stream.Collectors.toSet());
    assertThat(orderIds).hasSize(1);
    assertThat(ordersPlacedBy(customer)).containsExactlyElementsOf(orderIds);
  }

  // ---- /dead-letters ----------------------------------------------------------------------------

  @Test
  void a_dead_letter_is_listed_replayed_and_discarded() {
    // a payment for an order that never existed: the saga can never handle it, so it is dead-lettered
    String ghost = "ghost-" + UUID.randomUUID();
    EventEnvelope authorized = EventFactory.system().create(EventCatalog.PAYMENT_AUTHORIZED, ghost,
        new PaymentAuthorized(ghost, BigDecimal.TEN), new EventFactory.Cause(ghost, "test"));
    await(node.store().commit(UnitOfWork.of(new StreamAppend(Streams.of("payments", ghost), ExpectedVersion.NONE,
        List.of(authorized)))), "appending a payment for a ghost order");

    JsonObject letter = TestNode.poll("the dead letter of " + ghost, () -> deadLetterOf(authorized.id()), found -> found != null);
    assertThat(letter.getString("id")).isNotBlank();
    assertThat(letter.getString("consumer")).isEqualTo("orders-saga");
    assertThat(letter.getString("reason")).contains(ghost);
    assertThat(letter.getInteger("attempts")).isPositive();
    assertThat(letter.getJsonObject("event").getString("type")).isEqualTo("PaymentAuthorized");
    assertThat(letter.getJsonObject("event").getString("subject")).isEqualTo(ghost);
    assertThat(Instant.parse(letter.getString("failedAt"))).isBeforeOrEqualTo(Instant.now());
    String id = letter.getString("id");

    HttpResponse<Buffer> replayed = node.request(HttpMethod.POST, "/dead-letters/" + id + "/replay");
    assertThat(replayed.statusCode()).as(replayed.bodyAsString()).isEqualTo(200);
    assertThat(replayed.getHeader("Content-Type")).startsWith(JSON);
    assertThat(replayed.bodyAsJsonObject().getString("outcome")).isEqualTo("DEAD_LETTERED_AGAIN");
    assertThat(deadLetterOf(authorized.id())).as("still unhandled, so still a dead letter").isNotNull();

    HttpResponse<Buffer> discarded = node.request(HttpMethod.DELETE, "/dead-letters/" + id);
    assertThat(discarded.statusCode()).isEqualTo(204);
    assertThat(deadLetterOf(authorized.id())).isNull();
    assertJsonError(node.request(HttpMethod.DELETE, "/dead-letters/" + id), 404);
    assertJsonError(node.request(HttpMethod.POST, "/dead-letters/" + id + "/replay"), 404);
  }

  @Test
  void dead_letters_are_a_json_list() {
    HttpResponse<Buffer> response = node.get("/dead-letters");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    assertThat(response.bodyAsJsonObject().getValue("items")).isInstanceOf(JsonArray.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-1", "1001", "1.5", "%ZZ"})
  void a_dead_letter_limit_that_is_not_valid_is_400_naming_the_field(String limit) {
    HttpResponse<Buffer> response = node.get("/dead-letters?limit=" + limit);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    assertThat(response.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"))
        .isEqualTo("limit");
  }

  // ---- /health ---------------------------------------------------------------------------------

  @Test
  void health_is_up_with_the_store_and_the_transport() {
    HttpResponse<Buffer> response = node.get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    JsonObject health = response.bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("UP");
    assertThat(health.getJsonObject("checks").getJsonObject("store").getString("status")).isEqualTo("UP");
    assertThat(health.getJsonObject("checks").getJsonObject("transport").getString("status")).isEqualTo("UP");
    assertThat(health.getJsonObject("checks").getJsonObject("consumers").getString("status"))
        .as("every consumer of the node has subscribed").isEqualTo("UP");
    assertThat(health.getJsonObject("checks").getJsonObject("cluster"))
        .isEqualTo(new JsonObject().put("status", "UP").put("clustered", false));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** One item line with raw JSON values, for types a JsonObject would not let us write. */
  private static String line(String productId, String quantity, String unitPrice) {
    return "{\"customerId\":\"c-1\",\"items\":[{\"productId\":" + productId + ",\"quantity\":" + quantity
        + ",\"unitPrice\":" + unitPrice + "}]}";
  }

  private static MultiMap withKey(String key) {
    return MultiMap.caseInsensitiveMultiMap().add(KEY, key);
  }

  private static String newCustomer() {
    return "customer-" + UUID.randomUUID();
  }

  /** The ids of every order the log holds for a customer, in log order (whatever the API said). */
  private static List<String> ordersPlacedBy(String customer) {
    List<StoredEvent> placed = await(node.store().readAll(0, Set.of("OrderPlaced"), 100_000), "reading the log");
    return placed.stream()
        .filter(event -> customer.equals(event.envelope().data().getString("customerId")))
        .map(event -> event.envelope().subject())
        .toList();
  }

  /** The dead letter of an event, as {@code GET /dead-letters} lists it; null if it is not listed. */
  private static JsonObject deadLetterOf(String eventId) {
    HttpResponse<Buffer> response = node.get("/dead-letters?limit=1000");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(letter -> eventId.equals(letter.getJsonObject("event").getString("id")))
        .findFirst()
        .orElse(null);
  }

  private static void assertJsonError(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith(JSON);
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
  }

  private static BigDecimal number(Object value) {
    return new BigDecimal(String.valueOf(value));
  }
}
