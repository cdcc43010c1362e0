package dev.switchboard.orders.readmodel;

import dev.switchboard.orders.api.OrdersApi;
import dev.switchboard.orders.application.OrderStream;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
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
import java.util.List;
import java.util.Optional;
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
 * The {@code orders} read model over the real embedded store: a row per order follows the order's
 * events in log order, each change is told on {@code orders.status} (with the order's customer, for
 * the bridge to filter by), and the row always equals the
 * view computed from the order's own stream.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderStatusProjectionTest {

  private static final BigDecimal TOTAL = new BigDecimal("25.50");

  @TempDir
  Path dir;

  private EventStore store;
  private Context context;
  private ProjectionRunner projection;
  private final List<JsonObject> statusChanges = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> browsers;

  @BeforeEach
  void startTheProjection(Vertx vertx) {
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    browsers = vertx.eventBus().consumer(OrdersApi.STATUS, message -> statusChanges.add(message.body()));
    result(browsers.completion());
    projection = new ProjectionRunner(vertx, store, OrderStatusProjection.readModel(),
        new ProjectionRunner.Settings(100, 50), DefaultShop.upcasters());
    Await.onContext(context, () -> projection.start());
  }

  @AfterEach
  void stopTheProjection() {
    Await.onContext(context, () -> projection.stop());
    result(browsers.unregister());
    result(store.close());
  }

  @Test
  void a_placed_order_gets_a_pending_row_and_browsers_are_told() {
    String order = newOrderId();
    StoredEvent placed = result(store.commit(startStream(orderPlaced(order, TOTAL)))).get(0);

    JsonObject view = awaitRow(order, "PENDING");

    assertThat(view.getString("orderId")).isEqualTo(order);
    assertThat(view.getString("customerId")).isEqualTo(CUSTOMER);
    assertThat(amount(view.getValue("total"))).isEqualByComparingTo(TOTAL);
    assertThat(view.getJsonArray("items")).hasSize(1);
    JsonObject item = view.getJsonArray("items").getJsonObject(0);
    assertThat(item.getString("productId")).isEqualTo(PRODUCT);
    assertThat(item.getInteger("quantity")).isEqualTo(1);
    assertThat(amount(item.getValue("unitPrice"))).isEqualByComparingTo(TOTAL);
    assertThat(view.getString("updatedAt")).isEqualTo(placed.envelope().time());
    assertThat(view.containsKey("reason")).isFalse();
    Await.until("browsers are told the order is pending", () -> statusChanges.contains(
        new JsonObject().put("orderId", order).put("customerId", CUSTOMER).put("status", "PENDING")));
  }

  @Test
  void a_confirmed_order_shows_as_confirmed_and_keeps_what_it_was_placed_with() {
    String order = newOrderId();
    result(store.commit(startStream(orderPlaced(order, TOTAL))));
    StoredEvent confirmed = result(store.commit(appendAny(orderConfirmed(order, TOTAL)))).get(0);

    JsonObject view = awaitRow(order, "CONFIRMED");

    assertThat(view.getString("updatedAt")).isEqualTo(confirmed.envelope().time());
    assertThat(view.containsKey("reason")).isFalse();
    assertThat(amount(view.getValue("total"))).as("kept from the placement").isEqualByComparingTo(TOTAL);
    assertThat(view.getJsonArray("items")).hasSize(1);
    Await.until("browsers are told the order is confirmed", () -> statusChanges.contains(
        new JsonObject().put("orderId", order).put("customerId", CUSTOMER).put("status", "CONFIRMED")));
  }

  @Test
  void a_cancelled_order_shows_as_cancelled_with_its_reason() {
    String order = newOrderId();
    result(store.commit(startStream(orderPlaced(order, TOTAL))));
    result(store.commit(appendAny(orderCancelled(order, "sku-1: 1 wanted, 0 available"))));

    JsonObject view = awaitRow(order, "CANCELLED");

    assertThat(view.getString("reason")).isEqualTo("sku-1: 1 wanted, 0 available");
    Await.until("browsers are told the order is cancelled and why", () -> statusChanges.contains(
        new JsonObject().put("orderId", order).put("customerId", CUSTOMER).put("status", "CANCELLED").put("reason", "sku-1: 1 wanted, 0 available")));
  }

  @Test
  void the_row_equals_the_view_computed_from_the_orders_own_stream() {
    String confirmedOrder = newOrderId();
    String cancelledOrder = newOrderId();
    result(store.commit(startStream(orderPlaced(confirmedOrder, TOTAL))));
    result(store.commit(startStream(orderPlaced(cancelledOrder, TOTAL))));
    result(store.commit(appendAny(orderConfirmed(confirmedOrder, TOTAL))));
    result(store.commit(appendAny(orderCancelled(cancelledOrder, "declined"))));

    assertThat(awaitRow(confirmedOrder, "CONFIRMED")).isEqualTo(fromStream(confirmedOrder));
    assertThat(awaitRow(cancelledOrder, "CANCELLED")).isEqualTo(fromStream(cancelledOrder));
  }

  @Test
  void an_outcome_for_an_order_never_placed_stops_the_projection_there_rather_than_skip_it() {
    String ghost = newOrderId();
    StoredEvent orphan = result(store.commit(startStream(orderConfirmed(ghost, TOTAL)))).get(0);
    String later = newOrderId();
    result(store.commit(startStream(orderPlaced(later, TOTAL))));

    Await.until("the projection has tried", () -> result(store.readModels().state(OrderStatusProjection.NAME))
        .isPresent());
    // give it several polls: it must stay before the orphan, and so not reach the later order
    Await.until("several polls went by", () -> pollsSinceStart() >= 5);
    long position = result(store.readModels().state(OrderStatusProjection.NAME)).orElseThrow().position();
    assertThat(position).isLessThan(orphan.position());
    assertThat(row(later)).isEmpty();
    assertThat(row(ghost)).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  private final long startedAt = System.nanoTime();

  /** Polls happen every 50 ms here; how many intervals have passed since the test started. */
  private long pollsSinceStart() {
    return (System.nanoTime() - startedAt) / 50_000_000L;
  }

  private JsonObject awaitRow(String order, String status) {
    Await.until("the row of order " + order + " says " + status,
        () -> row(order).map(view -> status.equals(view.getString("status"))).orElse(false));
    return row(order).orElseThrow();
  }

  private Optional<JsonObject> row(String order) {
    return result(store.readModels().row(OrderStatusProjection.NAME, order));
  }

  private JsonObject fromStream(String order) {
    return OrderView.of(result(store.readStream(OrderStream.idOf(order))), DefaultShop.upcasters()).orElseThrow();
  }

  private static BigDecimal amount(Object json) {
    return new BigDecimal(json.toString());
  }
}
