package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import dev.switchboard.orders.api.OrdersApi;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
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
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.app.TestNode.await;
import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A placement whose outcome the edge does not know when it stops waiting is answered as such: not
 * 503 ("nothing was done, try again", which would make a client without an Idempotency-Key place a
 * second order) but 504 with {@code outcome: unknown}, the order's id and Location, and what to do.
 * 503 stays for what was certainly not stored.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UnknownOutcomeTest {

  private static final long REQUEST_TIMEOUT_MILLIS = 300;

  @TempDir
  Path dir;

  private TestNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  /** A node whose HTTP edge finds, instead of the orders module, a handler the test controls. */
  private List<Message<JsonObject>> edgeWithAnOrdersModuleThat(Vertx vertx, Answering answering) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject()
        .put("modules", new JsonArray())
        .put("http", new JsonObject().put("requestTimeoutMillis", REQUEST_TIMEOUT_MILLIS))));
    List<Message<JsonObject>> received = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> module = vertx.eventBus().consumer(OrdersApi.PLACE, message -> {
      received.add(message);
      answering.answer(message);
    });
    await(module.completion(), "the stand-in orders module to register");
    return received;
  }

  interface Answering {
    void answer(Message<JsonObject> message);
  }

  @Test
  void a_placement_not_answered_in_time_is_504_outcome_unknown_with_the_orders_id_and_location(Vertx vertx) {
    List<Message<JsonObject>> received = edgeWithAnOrdersModuleThat(vertx, message -> { }); // never answers

    HttpResponse<Buffer> response = node.post("/orders", Buffer.buffer(anOrder().encode()),
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json").add("Idempotency-Key", "k-1"));

    assertThat(response.statusCode()).isEqualTo(504);
    JsonObject body = response.bodyAsJsonObject();
    String sentOrderId = received.get(0).body().getString("orderId");
    assertThat(body.getString("outcome")).isEqualTo("unknown");
    assertThat(body.getString("orderId")).as("the id the order has if it was placed").isEqualTo(sentOrderId);
    assertThat(response.getHeader("Location")).isEqualTo("/orders/" + sentOrderId);
    assertThat(body.getString("error")).contains("not known whether the order was placed")
        .contains("same Idempotency-Key");
  }

  @Test
  void without_an_idempotency_key_the_answer_says_to_look_the_order_up_before_placing_it_again(Vertx vertx) {
    edgeWithAnOrdersModuleThat(vertx, message -> { });

    HttpResponse<Buffer> response = node.post("/orders", anOrder());

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("Look the order up at its Location");
  }

  @Test
  void the_request_carries_a_deadline_so_that_the_module_does_not_place_it_after_the_edge_gave_up(Vertx vertx) {
    List<Message<JsonObject>> received = edgeWithAnOrdersModuleThat(vertx, message -> { });
    long before = System.currentTimeMillis();

    node.post("/orders", anOrder());

    long deadline = received.get(0).body().getLong("deadline");
    assertThat(deadline).isBetween(before + REQUEST_TIMEOUT_MILLIS, System.currentTimeMillis() + REQUEST_TIMEOUT_MILLIS);
  }

  @Test
  void a_store_that_did_not_say_whether_it_committed_is_504_outcome_unknown(Vertx vertx) {
    edgeWithAnOrdersModuleThat(vertx, message -> message.fail(OrdersApi.OUTCOME_UNKNOWN,
        OrdersApi.outcomeUnknown(message.body().getString("orderId"), false, "the store did not answer").encode()));

    HttpResponse<Buffer> response = node.post("/orders", anOrder());

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.bodyAsJsonObject().getString("outcome")).isEqualTo("unknown");
    assertThat(response.getHeader("Location")).isEqualTo("/orders/" + response.bodyAsJsonObject().getString("orderId"));
  }

  @Test
  void nothing_stored_is_still_503(Vertx vertx) {
    edgeWithAnOrdersModuleThat(vertx, message -> message.fail(503,
        new JsonObject().put("error", "The order could not be stored; try again.").encode()));

    HttpResponse<Buffer> response = node.post("/orders", anOrder());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.bodyAsJsonObject().containsKey("outcome")).isFalse();
  }

  @Test
  void the_orders_module_refuses_a_placement_whose_deadline_passed_and_stores_nothing(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String orderId = "late-" + System.nanoTime();
    JsonObject late = new JsonObject().put("order", anOrder()).put("orderId", orderId)
        .put("deadline", System.currentTimeMillis() - 1);

    Throwable refused = await(vertx.eventBus().<JsonObject>request(OrdersApi.PLACE, late, new DeliveryOptions())
        .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())), "the late placement's answer");

    assertThat(refused).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) refused).failureCode()).isEqualTo(503);
    assertThat(node.get("/orders/" + orderId).statusCode()).as("the order was not placed").isEqualTo(404);
  }

  private static JsonObject anOrder() {
    return order("c-1", item("sku-1", 1, 10));
  }
}
