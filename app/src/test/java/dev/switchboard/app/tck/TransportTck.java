package dev.switchboard.app.tck;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static dev.switchboard.app.TestNode.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transport test kit: what every transport must give the modules, run unchanged against each
 * (a subclass per transport says how to configure it and how to drive it from outside). A real node
 * with every module runs over the transport, driven over HTTP as a client would.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class TransportTck {

  private static final JsonObject SMALL_STOCK = new JsonObject()
      .put("inventory", new JsonObject().put("initialStock", new JsonObject().put("sku-1", 5).put("sku-2", 1_000_000))
          .put("lowStockThreshold", 0))
      .put("payments", new JsonObject().put("maxAmount", 100));

  @TempDir
  Path dir;

  protected Vertx vertx;
  protected TestNode node;

  /** The transport under test; called once per test. */
  protected abstract TransportUnderTest transport();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopTheNode() {
    if (node != null) {
      node.stop();
    }
    TestNode.await(vertx.close(), "vert.x to close");
  }

  private TestNode start(JsonObject overrides) {
    JsonObject config = TestNode.config(dir, transport().overrides()).mergeIn(overrides, true);
    node = TestNode.start(vertx, config);
    return node;
  }

  @Test
  void every_saga_path_ends_in_its_final_state_with_its_whole_history() {
    start(SMALL_STOCK);

    String confirmed = node.place(order("c-1", item("sku-1", 1, 10)));
    String unavailable = node.place(order("c-2", item("no-such-sku", 1, 10)));
    String declined = node.place(order("c-3", item("sku-2", 6, 20)));

    assertThat(node.awaitFinal(confirmed).getString("status")).isEqualTo("CONFIRMED");
    assertThat(types(node.awaitEvent(confirmed, "NotificationSent"))).containsExactly(
        "OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
    JsonObject cancelled = node.awaitFinal(unavailable);
    assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
    assertThat(cancelled.getString("reason")).contains("no-such-sku");
    assertThat(types(node.awaitEvent(unavailable, "NotificationSent"))).containsExactly(
        "OrderPlaced", "StockUnavailable", "OrderCancelled", "NotificationSent");
    JsonObject refused = node.awaitFinal(declined);
    assertThat(refused.getString("status")).isEqualTo("CANCELLED");
    assertThat(refused.getString("reason")).contains("declined");
    node.awaitEvent(declined, "NotificationSent");
    assertThat(types(node.awaitEvent(declined, "StockReleased"))).containsExactlyInAnyOrder(
        "OrderPlaced", "StockReserved", "PaymentDeclined", "OrderCancelled", "StockReleased", "NotificationSent");

    // the released stock is there again: 4 of the 5 units can be ordered
    String afterRelease = node.place(order("c-4", item("sku-1", 4, 10)));
    assertThat(node.awaitFinal(afterRelease).getString("status")).isEqualTo("CONFIRMED");
  }

  @Test
  void the_events_of_each_order_are_handled_in_order_with_many_orders_at_once() {
    start(new JsonObject());
    List<String> orders = placeConcurrently(60);

    for (String orderId : orders) {
      assertThat(node.awaitFinal(orderId).getString("status")).isEqualTo("CONFIRMED");
      JsonArray events = node.awaitEvent(orderId, "NotificationSent");
      assertThat(types(events)).as("order " + orderId).containsExactly(
          "OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
      // each step was caused by the one before: no module acted on an event it had not yet been given
      for (int i = 1; i < events.size(); i++) {
        assertThat(events.getJsonObject(i).getString("causationid")).as("order " + orderId + ", event " + i)
            .isEqualTo(events.getJsonObject(i - 1).getString("id"));
      }
    }
    assertThat(node.get("/dead-letters").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void events_delivered_again_have_their_effect_once() {
    start(new JsonObject());
    List<String> orders = placeConcurrently(10);
    Map<String, Integer> historyBefore = new HashMap<>();
    List<StoredEvent> everything = new ArrayList<>();
    for (String orderId : orders) {
      node.awaitFinal(orderId);
      historyBefore.put(orderId, node.awaitEvent(orderId, "NotificationSent").size());
      everything.addAll(TestNode.await(node.store().readSubject(orderId), "the events of " + orderId));
    }

    // the outbox relay's retry after a lost confirmation does exactly this
    TestNode.await(node.transport().publish(everything), "publishing every event again");
    transport().awaitDelivered(node);

    for (String orderId : orders) {
      assertThat(node.events(orderId)).as("order " + orderId).hasSize(historyBefore.get(orderId));
      assertThat(node.get("/orders/" + orderId).bodyAsJsonObject().getString("status")).isEqualTo("CONFIRMED");
    }
    assertThat(node.get("/dead-letters").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void a_poison_event_is_dead_lettered_with_its_reason_and_the_events_behind_it_flow_on() {
    start(new JsonObject());
    String ghost = "ghost-" + UUID.randomUUID();
    EventEnvelope poison = EventFactory.system().create(EventCatalog.PAYMENT_AUTHORIZED, ghost,
        new PaymentAuthorized(ghost, new BigDecimal("10")), new EventFactory.Cause(ghost, null));

    transport().publishForeign(node, poison);
    String after = node.place(order("c-1", item("sku-1", 1, 10)));

    assertThat(node.awaitFinal(after).getString("status")).isEqualTo("CONFIRMED");
    JsonObject letter = TestNode.poll("the poison event to be dead-lettered", () -> deadLetters(),
        items -> !items.isEmpty()).getJsonObject(0);
    assertThat(letter.getString("consumer")).isEqualTo("orders-saga");
    assertThat(letter.getString("eventId")).isEqualTo(poison.id());
    assertThat(letter.getString("reason")).contains(ghost);
    assertThat(letter.getJsonObject("event").getString("type")).isEqualTo("PaymentAuthorized");

    HttpResponse<Buffer> replayed = node.post("/dead-letters/" + letter.getString("id") + "/replay", new JsonObject());
    assertThat(replayed.statusCode()).isEqualTo(200);
    assertThat(replayed.bodyAsJsonObject().getString("outcome")).as("its cause is still there")
        .isEqualTo("DEAD_LETTERED_AGAIN");
    HttpResponse<Buffer> discarded = node.request(io.vertx.core.http.HttpMethod.DELETE,
        "/dead-letters/" + letter.getString("id"));
    assertThat(discarded.statusCode()).isEqualTo(204);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void an_order_placed_by_a_node_of_the_next_release_in_a_version_this_one_does_not_know_goes_through_the_saga() {
    // a rolling upgrade to a release whose OrderPlaced is at version 3, with a field this one does not
    // know: its orders nodes append to the shared log, from which this node's consumers read it, or
    // which this node's relay publishes to the broker they consume
    start(new JsonObject());
    String orderId = "order-" + UUID.randomUUID();
    JsonObject data = new JsonObject().put("orderId", orderId).put("customerId", "customer-1").put("total", 20.00)
        .put("currency", "EUR").put("giftMessage", "a field of version 3")
        .put("items", new JsonArray().add(new JsonObject().put("productId", "sku-1").put("quantity", 2)
            .put("unitPrice", 10.00)));

    node.appendOrderPlaced(3, data);

    JsonObject view = node.awaitFinal(orderId);
    assertThat(view.getString("status")).isEqualTo("CONFIRMED");
    assertThat(view.getString("currency")).isEqualTo("EUR");
    assertThat(types(node.awaitEvent(orderId, "NotificationSent"))).containsExactly(
        "OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
    assertThat(deadLetters()).as("nothing refused for its version").isEmpty();
  }

  /** How a broker's test puts an event on the channel of a module: as whoever may write there. */
  protected interface ChannelPublisher {
    void publish(String module, EventEnvelope event);
  }

  /**
   * A well-formed {@code PaymentAuthorized} for a pending order, written by a stranger (on
   * inventory's channel while claiming to be payments, or on payments' channel while its source
   * says otherwise), confirms nothing: it is dead-lettered with the reason and the order stays
   * pending. For the brokers, whose channels a stranger may reach; the local log has no such door.
   */
  protected void assertForgedPaymentsAreRefused(ChannelPublisher channels) {
    // no payments module: the order waits at its reservation for a payment that only a forger sends
    start(new JsonObject().put("modules", new JsonArray().add("orders").add("inventory").add("notifications")));
    String orderId = node.place(order("c-1", item("sku-1", 1, 10)));
    node.awaitEvent(orderId, "StockReserved");
    EventEnvelope claimsToBePayments = EventFactory.system().create(EventCatalog.PAYMENT_AUTHORIZED, orderId,
        new PaymentAuthorized(orderId, new BigDecimal("10")), new EventFactory.Cause(orderId, null));
    EventEnvelope saysItIsOrders = EventEnvelope.fromJson(EventFactory.system().create(EventCatalog.PAYMENT_AUTHORIZED,
        orderId, new PaymentAuthorized(orderId, new BigDecimal("10")), new EventFactory.Cause(orderId, null))
        .toJson().put("source", "/orders"));

    channels.publish("inventory", claimsToBePayments);
    channels.publish("payments", saysItIsOrders);

    JsonArray letters = TestNode.poll("both forgeries to be dead-lettered", this::deadLetters, items -> items.size() == 2);
    assertThat(letters.stream().map(JsonObject.class::cast).map(letter -> letter.getString("reason")))
        .anySatisfy(reason -> assertThat(reason).contains("came on the channel of inventory"))
        .anySatisfy(reason -> assertThat(reason).contains("says its source is /orders"));
    // both were done with (dead-lettered) by the saga, the only consumer of the type: nothing else comes
    assertThat(node.get("/orders/" + orderId).bodyAsJsonObject().getString("status")).isEqualTo("PENDING");
    assertThat(types(node.events(orderId))).doesNotContain("OrderConfirmed");
  }

  @Test
  void a_consumer_that_was_down_catches_up_with_what_it_missed() {
    start(new JsonObject());
    String before = node.place(order("c-1", item("sku-1", 1, 10)));
    node.awaitFinal(before);
    node.stop();

    // payments is down: orders stop at the reservation
    node = TestNode.start(vertx, node.config().copy().put("modules",
        new JsonArray().add("orders").add("inventory").add("notifications")));
    List<String> waiting = List.of(node.place(order("c-2", item("sku-1", 1, 10))),
        node.place(order("c-3", item("sku-2", 2, 20))));
    for (String orderId : waiting) {
      node.awaitEvent(orderId, "StockReserved");
      assertThat(node.get("/orders/" + orderId).bodyAsJsonObject().getString("status")).isEqualTo("PENDING");
    }
    node.stop();

    node = TestNode.start(vertx, node.config().copy().put("modules",
        new JsonArray().add("orders").add("inventory").add("payments").add("notifications")));
    for (String orderId : waiting) {
      assertThat(node.awaitFinal(orderId).getString("status")).isEqualTo("CONFIRMED");
      assertThat(types(node.awaitEvent(orderId, "NotificationSent"))).containsExactly(
          "OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
    }
  }

  @Test
  void a_restart_of_the_transport_while_orders_flow_loses_nothing() {
    start(new JsonObject());
    List<String> before = placeConcurrently(20);

    node = transport().restart(node);
    List<String> after = placeConcurrently(20);

    List<String> all = new ArrayList<>(before);
    all.addAll(after);
    for (String orderId : all) {
      assertThat(node.awaitFinal(orderId).getString("status")).as("order " + orderId).isEqualTo("CONFIRMED");
      assertThat(types(node.awaitEvent(orderId, "NotificationSent"))).as("order " + orderId).containsExactly(
          "OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
    }
  }

  /** Places orders from several requests in flight at once; their ids. */
  protected List<String> placeConcurrently(int count) {
    List<io.vertx.core.Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject order = order("customer-" + i, item("sku-" + (1 + i % 5), 1 + i % 3, (1 + i % 5) * 10));
      sent.add(node.postAsync("/orders", order.toBuffer(), MultiMap.caseInsensitiveMultiMap()));
    }
    List<String> ids = new ArrayList<>();
    for (io.vertx.core.Future<HttpResponse<Buffer>> response : sent) {
      HttpResponse<Buffer> answer = TestNode.await(response, "POST /orders");
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(202);
      ids.add(answer.bodyAsJsonObject().getString("orderId"));
    }
    return ids;
  }

  private JsonArray deadLetters() {
    return node.get("/dead-letters").bodyAsJsonObject().getJsonArray("items");
  }
}
