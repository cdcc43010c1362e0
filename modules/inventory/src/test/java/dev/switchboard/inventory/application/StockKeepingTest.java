package dev.switchboard.inventory.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.inventory.InventoryLow;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReleased;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.inventory.StockUnavailable;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.contracts.payments.DeclineCode;
import dev.switchboard.contracts.payments.PaymentDeclined;
import dev.switchboard.inventory.api.InventorySettings;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.CUSTOMER;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inventory's consumer over the real embedded store: it reserves stock when an order is placed,
 * releases it when the payment is declined, keeps the {@code inventory-stock} levels in step, and
 * does each once however often an event is delivered.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StockKeepingTest {

  private static final EventFactory EVENTS = EventFactory.system();
  private static final int THRESHOLD = 5;
  private static final BigDecimal PRICE = new BigDecimal("2.50");
  private static final InventorySettings SETTINGS = new InventorySettings(THRESHOLD, Map.of("sku-1", 10, "sku-2", 3),
      Map.of("sku-1", PRICE, "sku-2", PRICE));
  private static final String DECLINED = "payment declined: total 12000 is over the limit of 10000";

  @TempDir
  Path dir;

  private EventStore store;
  private Context context;
  private ConsumerRunner inventory;

  @BeforeEach
  void openTheStore(Vertx vertx) {
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    inventory = new ConsumerRunner(vertx, store, EventSchemas.load(),
        new StockKeeping(store, EVENTS, SETTINGS, DefaultShop.upcasters()).consumer(), new RetryPolicy(3, 5, 20),
        Clock.systemUTC(), DefaultShop.upcasters());
  }

  @AfterEach
  void closeTheStore() {
    result(store.close());
  }

  @Test
  void a_placed_order_gets_its_stock_reserved_and_the_levels_go_down() {
    String order = newOrderId();
    StoredEvent placed = placed(order, line("sku-1", 2), line("sku-2", 1));

    deliver(placed);

    List<StoredEvent> stream = inventoryStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("StockReserved");
    assertThat(EventData.decode(stream.get(0).envelope().data(), StockReserved.class))
        .isEqualTo(new StockReserved(order, List.of(new StockLine("sku-1", 2), new StockLine("sku-2", 1))));
    assertThat(stream.get(0).envelope().subject()).isEqualTo(order);
    assertThat(stream.get(0).envelope().correlationid()).isEqualTo(order);
    assertThat(stream.get(0).envelope().causationid()).isEqualTo(placed.id());
    assertThat(available("sku-1")).isEqualTo(8);
    assertThat(available("sku-2")).isEqualTo(2);
  }

  @Test
  void a_declined_payment_releases_the_reservation_and_the_levels_are_back_where_they_were() {
    String order = newOrderId();
    deliver(placed(order, line("sku-1", 2), line("sku-2", 1)));
    StoredEvent declined = committed(EVENTS.create(EventCatalog.PAYMENT_DECLINED, order,
        new PaymentDeclined(order, new BigDecimal("12000"), DECLINED, DeclineCode.LIMIT_EXCEEDED), new EventFactory.Cause(order, null)));

    deliver(declined);

    List<StoredEvent> stream = inventoryStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("StockReserved", "StockReleased");
    assertThat(EventData.decode(stream.get(1).envelope().data(), StockReleased.class)).isEqualTo(
        new StockReleased(order, List.of(new StockLine("sku-1", 2), new StockLine("sku-2", 1)), DECLINED));
    assertThat(stream.get(1).envelope().causationid()).isEqualTo(declined.id());
    assertThat(available("sku-1")).isEqualTo(10);
    assertThat(available("sku-2")).isEqualTo(3);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void the_same_placement_delivered_twice_reserves_once() {
    String order = newOrderId();
    StoredEvent placed = placed(order, line("sku-1", 2));

    deliver(placed);
    deliver(placed);

    assertThat(inventoryStream(order)).extracting(StoredEvent::type).containsExactly("StockReserved");
    assertThat(available("sku-1")).isEqualTo(8);
    assertThat(level("sku-1").map(Document::revision)).contains(1L);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void the_same_placement_republished_under_another_event_id_reserves_once() {
    String order = newOrderId();
    StoredEvent placed = placed(order, line("sku-1", 2));
    EventEnvelope copy = EVENTS.create(EventCatalog.ORDER_PLACED, order,
        EventData.decode(placed.envelope().data(), OrderPlaced.class), new EventFactory.Cause(order, null));
    StoredEvent republished = committed(copy);

    deliver(placed);
    deliver(republished);

    assertThat(inventoryStream(order)).extracting(StoredEvent::type).containsExactly("StockReserved");
    assertThat(available("sku-1")).isEqualTo(8);
    assertThat(result(store.isHandled(StockKeeping.CONSUMER, republished))).isTrue();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_second_order_reserves_from_what_the_first_left() {
    String first = newOrderId();
    String second = newOrderId();
    deliver(placed(first, line("sku-1", 2)));

    deliver(placed(second, line("sku-1", 3)));

    assertThat(inventoryStream(second)).extracting(StoredEvent::type).containsExactly("StockReserved");
    assertThat(available("sku-1")).isEqualTo(5);
  }

  @Test
  void orders_of_shared_products_delivered_all_at_once_never_take_more_than_there_is() {
    // sku-2 (3 units) is wanted by orders in three lanes: alone, with sku-1, and with sku-1 twice over
    List<StoredEvent> placements = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      OrderLine[] lines = switch (i % 3) {
        case 0 -> new OrderLine[] {line("sku-2", 1)};
        case 1 -> new OrderLine[] {line("sku-1", 1), line("sku-2", 1)};
        default -> new OrderLine[] {line("sku-1", 2)};
      };
      placements.add(placed(newOrderId(), lines));
    }

    Await.onContext(context, () -> Future.all(placements.stream().map(inventory::deliver).toList()));

    int sku1Reserved = 0;
    int sku2Reserved = 0;
    int reservations = 0;
    for (StoredEvent placement : placements) {
      List<StoredEvent> stream = inventoryStream(placement.envelope().subject());
      assertThat(stream).hasSize(1);
      if (stream.get(0).type().equals("StockReserved")) {
        reservations++;
        for (StockLine line : EventData.decode(stream.get(0).envelope().data(), StockReserved.class).lines()) {
          if (line.productId().equals("sku-1")) {
            sku1Reserved += line.quantity();
          } else {
            sku2Reserved += line.quantity();
          }
        }
      }
    }
    assertThat(sku2Reserved).as("sku-2 has 3 units").isEqualTo(3);
    assertThat(available("sku-2")).isZero();
    assertThat(available("sku-1")).isEqualTo(10 - sku1Reserved);
    // sku-2's 3 units go to 3 orders; sku-1's 10 units cannot hold all four 2-unit orders if three
    // orders of both took one each first: at least 3 of them fit, and one is refused only when
    // fewer than 2 units are left
    assertThat(reservations).as("reservations").isGreaterThanOrEqualTo(3 + 3);
    if (reservations < 3 + 4) {
      assertThat(available("sku-1")).as("sku-1 left when an order of 2 was refused").isLessThan(2);
    }
  }

  @Test
  void a_level_changed_behind_inventorys_back_is_read_again_rather_than_overwritten() {
    deliver(placed(newOrderId(), line("sku-1", 2)));
    // another writer (an operator's correction, another node) sets the level without inventory knowing
    result(store.commit(UnitOfWork.NOTHING.and(new DocumentWrite(
        StockLevels.COLLECTION, "sku-1", ExpectedVersion.ANY,
        new JsonObject().put("productId", "sku-1").put("available", 5)))));

    String next = newOrderId();
    deliver(placed(next, line("sku-1", 1)));

    assertThat(inventoryStream(next)).extracting(StoredEvent::type).containsExactly("StockReserved");
    assertThat(available("sku-1")).as("decided on the corrected level, not on the remembered 8").isEqualTo(4);
  }

  @Test
  void an_order_of_more_than_is_left_is_unavailable_with_the_reason_and_takes_nothing() {
    String order = newOrderId();
    StoredEvent placed = placed(order, line("sku-1", 4), line("sku-2", 4));

    deliver(placed);

    List<StoredEvent> stream = inventoryStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("StockUnavailable");
    assertThat(EventData.decode(stream.get(0).envelope().data(), StockUnavailable.class)).isEqualTo(
        new StockUnavailable(order, List.of("sku-2"), "stock unavailable: sku-2: 4 wanted, 3 available"));
    assertThat(level("sku-1")).as("sku-1 is untouched").isEmpty();
    assertThat(level("sku-2")).isEmpty();
  }

  @Test
  void an_order_of_a_product_not_stocked_is_unavailable() {
    String order = newOrderId();

    deliver(placed(order, line("sku-404", 1)));

    List<StoredEvent> stream = inventoryStream(order);
    assertThat(EventData.decode(stream.get(0).envelope().data(), StockUnavailable.class).reason())
        .isEqualTo("stock unavailable: sku-404 is not a product we stock");
  }

  @Test
  void stock_falling_under_the_threshold_raises_inventory_low_on_the_products_stream() {
    String order = newOrderId();
    StoredEvent placed = placed(order, line("sku-1", 6));

    deliver(placed);

    List<StoredEvent> low = result(store.readStream(Streams.of(StockKeeping.MODULE, "sku-1")));
    assertThat(low).extracting(StoredEvent::type).containsExactly("InventoryLow");
    assertThat(EventData.decode(low.get(0).envelope().data(), InventoryLow.class))
        .isEqualTo(new InventoryLow("sku-1", 4, THRESHOLD));
    assertThat(low.get(0).envelope().subject()).isEqualTo("sku-1");
    assertThat(low.get(0).envelope().causationid()).isEqualTo(placed.id());

    deliver(placed(newOrderId(), line("sku-1", 1)));
    assertThat(result(store.readStream(Streams.of(StockKeeping.MODULE, "sku-1"))))
        .as("already under: not raised again").hasSize(1);
    assertThat(available("sku-1")).isEqualTo(3);
  }

  @Test
  void a_declined_payment_for_an_order_that_reserved_nothing_changes_nothing() {
    String order = newOrderId();
    deliver(placed(order, line("sku-2", 4))); // unavailable: nothing reserved
    StoredEvent declined = committed(EVENTS.create(EventCatalog.PAYMENT_DECLINED, order,
        new PaymentDeclined(order, new BigDecimal("1"), DECLINED, DeclineCode.LIMIT_EXCEEDED), new EventFactory.Cause(order, null)));

    deliver(declined);

    assertThat(inventoryStream(order)).extracting(StoredEvent::type).containsExactly("StockUnavailable");
    assertThat(level("sku-2")).isEmpty();
    assertThat(result(store.isHandled(StockKeeping.CONSUMER, declined))).isTrue();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  private static OrderLine line(String productId, int quantity) {
    return new OrderLine(productId, quantity, PRICE);
  }

  @Test
  void an_order_priced_otherwise_than_the_catalog_is_unavailable_with_the_catalogs_price_and_takes_nothing() {
    String order = newOrderId();

    deliver(placed(order, new OrderLine("sku-1", 2, new BigDecimal("0.01")), line("sku-2", 1)));

    List<StoredEvent> stream = inventoryStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("StockUnavailable");
    StockUnavailable unavailable = EventData.decode(stream.get(0).envelope().data(), StockUnavailable.class);
    assertThat(unavailable.productIds()).containsExactly("sku-1");
    assertThat(unavailable.reason()).isEqualTo("wrong price: sku-1 is priced 2.50, not 0.01");
    assertThat(level("sku-1")).as("nothing taken").isEmpty();
  }

  /** Commits an {@code OrderPlaced} of these lines as the first event of the order's stream. */
  private StoredEvent placed(String order, OrderLine... lines) {
    List<OrderLine> items = List.of(lines);
    BigDecimal total = items.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    EventEnvelope placed = EVENTS.create(EventCatalog.ORDER_PLACED, order,
        new OrderPlaced(order, CUSTOMER, items, total, "EUR", null), new EventFactory.Cause(order, null));
    return result(store.commit(startStream(placed))).get(0);
  }

  private StoredEvent committed(EventEnvelope event) {
    return result(store.commit(appendAny(event))).get(0);
  }

  private void deliver(StoredEvent event) {
    Await.onContext(context, () -> inventory.deliver(event));
  }

  private List<StoredEvent> inventoryStream(String order) {
    return result(store.readStream(Streams.of(StockKeeping.MODULE, order)));
  }

  private Optional<Document> level(String productId) {
    return result(store.document(StockLevels.COLLECTION, productId));
  }

  private int available(String productId) {
    return level(productId).orElseThrow(() -> new AssertionError("no stock level of " + productId))
        .body().getInteger("available");
  }
}
