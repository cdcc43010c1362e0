package dev.switchboard.orders.readmodel;

import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.orders.api.OrdersApi;
import dev.switchboard.orders.api.PlaceOrderRequest;
import dev.switchboard.orders.application.OrderStream;
import dev.switchboard.orders.application.PlacingOrder;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.CUSTOMER;
import static dev.switchboard.runtime.testing.TestEvents.PRODUCT;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order read model over the real embedded store: the {@code orders} document follows the
 * order's events, each change is told on {@code orders.status}, and an older event never
 * overwrites a newer view.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderStatusProjectionTest {

  private static final BigDecimal TOTAL = new BigDecimal("25.50");

  @TempDir
  Path dir;

  private Vertx vertx;
  private EventStore store;
  private Context context;
  private ConsumerRunner projection;
  private final List<JsonObject> statusChanges = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> browsers;

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    projection = new ConsumerRunner(vertx, store, EventSchemas.load(), new OrderStatusProjection(store).consumer(),
        new RetryPolicy(3, 5, 20), Clock.systemUTC());
    browsers = vertx.eventBus().consumer(OrdersApi.STATUS, message -> statusChanges.add(message.body()));
    result(browsers.completion());
  }

  @AfterEach
  void closeTheStore() {
    result(browsers.unregister());
    result(store.close());
  }

  @Test
  void an_order_placed_without_a_view_gets_a_pending_one() {
    String order = newOrderId();
    StoredEvent placed = result(store.commit(startStream(orderPlaced(order, TOTAL)))).get(0);

    deliver(placed);

    Document document = view(order);
    assertThat(document.revision()).isEqualTo(1);
    JsonObject view = OrderView.view(document.body());
    assertThat(view.getString("orderId")).isEqualTo(order);
    assertThat(view.getString("customerId")).isEqualTo(CUSTOMER);
    assertThat(view.getString("status")).isEqualTo("PENDING");
    assertThat(amount(view.getValue("total"))).isEqualByComparingTo(TOTAL);
    assertThat(view.getJsonArray("items")).hasSize(1);
    JsonObject item = view.getJsonArray("items").getJsonObject(0);
    assertThat(item.getString("productId")).isEqualTo(PRODUCT);
    assertThat(item.getInteger("quantity")).isEqualTo(1);
    assertThat(amount(item.getValue("unitPrice"))).isEqualByComparingTo(TOTAL);
    assertThat(view.getString("updatedAt")).isEqualTo(placed.envelope().time());
    assertThat(view.containsKey("reason")).isFalse();
    assertThat(OrderView.sequence(document.body())).isEqualTo(1);
    Await.until("browsers are told the order is pending", () -> statusChanges.contains(
        new JsonObject().put("orderId", order).put("status", "PENDING")));
  }

  @Test
  void a_placement_whose_view_was_stored_with_the_order_leaves_that_view_as_it_is() {
    String order = place();
    StoredEvent placed = orderStream(order).get(0);
    Document before = view(order);

    deliver(placed);

    Document after = view(order);
    assertThat(after.revision()).as("not written again").isEqualTo(before.revision());
    assertThat(after.body()).isEqualTo(before.body());
    assertThat(result(store.isHandled(OrderStatusProjection.CONSUMER, placed.id()))).isTrue();
    assertThat(result(store.deadLetters(10))).as("handled, not failed").isEmpty();
  }

  @Test
  void a_confirmed_order_shows_as_confirmed_at_the_sequence_of_its_confirmation() {
    String order = place();
    StoredEvent confirmed = result(store.commit(appendAny(orderConfirmed(order, TOTAL)))).get(0);

    deliver(confirmed);

    Document document = view(order);
    JsonObject view = OrderView.view(document.body());
    assertThat(view.getString("status")).isEqualTo("CONFIRMED");
    assertThat(view.getString("updatedAt")).isEqualTo(confirmed.envelope().time());
    assertThat(view.containsKey("reason")).isFalse();
    assertThat(amount(view.getValue("total"))).as("kept from the placement").isEqualByComparingTo(TOTAL);
    assertThat(OrderView.sequence(document.body())).isEqualTo(2);
    assertThat(document.revision()).isEqualTo(2);
    Await.until("browsers are told the order is confirmed", () -> statusChanges.contains(
        new JsonObject().put("orderId", order).put("status", "CONFIRMED")));
  }

  @Test
  void a_cancelled_order_shows_as_cancelled_with_its_reason() {
    String order = place();
    StoredEvent cancelled = result(store.commit(appendAny(orderCancelled(order, "sku-1: 1 wanted, 0 available"))))
        .get(0);

    deliver(cancelled);

    JsonObject view = OrderView.view(view(order).body());
    assertThat(view.getString("status")).isEqualTo("CANCELLED");
    assertThat(view.getString("reason")).isEqualTo("sku-1: 1 wanted, 0 available");
    assertThat(OrderView.sequence(view(order).body())).isEqualTo(2);
    Await.until("browsers are told the order is cancelled and why", () -> statusChanges.contains(
        new JsonObject().put("orderId", order).put("status", "CANCELLED").put("reason", "sku-1: 1 wanted, 0 available")));
  }

  @Test
  void an_older_event_arriving_after_a_newer_one_does_not_overwrite_the_view() {
    String order = place();
    StoredEvent placed = orderStream(order).get(0);
    StoredEvent confirmed = result(store.commit(appendAny(orderConfirmed(order, TOTAL)))).get(0);
    deliver(confirmed);
    Document confirmedView = view(order);

    deliver(placed); // overtaken by the confirmation

    Document after = view(order);
    assertThat(OrderView.view(after.body()).getString("status")).isEqualTo("CONFIRMED");
    assertThat(OrderView.sequence(after.body())).isEqualTo(2);
    assertThat(after.revision()).isEqualTo(confirmedView.revision());
    // the runtime sets the late event aside rather than apply it out of order
    assertThat(result(store.deadLetters(10))).singleElement().satisfies(letter -> {
      assertThat(letter.eventId()).isEqualTo(placed.id());
      assertThat(letter.reason()).contains("StaleEvent");
    });
  }

  @Test
  void a_confirmation_redelivered_changes_the_view_once() {
    String order = place();
    StoredEvent confirmed = result(store.commit(appendAny(orderConfirmed(order, TOTAL)))).get(0);

    deliver(confirmed);
    deliver(confirmed);

    assertThat(view(order).revision()).isEqualTo(2);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_confirmation_with_no_view_to_change_is_retried_then_dead_lettered() {
    String order = newOrderId();
    List<StoredEvent> stream = result(store.commit(startStream(orderPlaced(order, TOTAL), orderConfirmed(order, TOTAL))));

    deliver(stream.get(1));

    assertThat(result(store.document(OrderView.COLLECTION, order))).isEmpty();
    List<DeadLetter> letters = result(store.deadLetters(10));
    assertThat(letters).hasSize(1);
    assertThat(letters.get(0).eventId()).isEqualTo(stream.get(1).id());
    assertThat(letters.get(0).attempts()).isEqualTo(3);
    assertThat(letters.get(0).reason()).contains("no read model yet for order " + order);
  }

  // ------------------------------------------------------------------ helpers

  /** Places an order as {@code POST /orders} does: its first event and its view in one commit. */
  private String place() {
    PlacingOrder placing = new PlacingOrder(store, EventFactory.system(), new OrderStream(store, EventFactory.system()),
        vertx.eventBus());
    PlaceOrderRequest request = new PlaceOrderRequest(CUSTOMER, List.of(new OrderLine(PRODUCT, 1, TOTAL)));
    PlacingOrder.Answer answer = Await.onContext(context, () -> placing.place(request, null));
    assertThat(answer.status()).isEqualTo(202);
    String order = answer.body().getString("orderId");
    assertThat(OrderView.view(view(order).body()).getString("status")).isEqualTo("PENDING");
    return order;
  }

  private void deliver(StoredEvent event) {
    Await.onContext(context, () -> projection.deliver(event));
  }

  private Document view(String order) {
    return result(store.document(OrderView.COLLECTION, order)).orElseThrow(
        () -> new AssertionError("no view of order " + order));
  }

  private List<StoredEvent> orderStream(String order) {
    return result(store.readStream(OrderStream.idOf(order)));
  }

  private static BigDecimal amount(Object json) {
    return new BigDecimal(json.toString());
  }
}
