package dev.switchboard.inventory.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReleased;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.inventory.api.InventorySettings;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Delivery;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.CUSTOMER;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inventory's decisions when writes of the same product fail or land out of the expected order, the
 * races that made the stock documents drift from the log after crashes. The store holds each
 * commit at a gate that the test opens, fails, or lets through one by one, so every run takes the
 * same course. Whatever the course, a product's level must equal its initial stock less what the
 * reservations in the log hold.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StockRaceTest {

  private static final EventFactory EVENTS = EventFactory.system();
  private static final Map<String, Integer> INITIAL = Map.of("sku-1", 100, "sku-2", 100);
  private static final BigDecimal PRICE = new BigDecimal("10.00");

  @TempDir
  Path dir;

  private EventStore real;
  private GatedStore store;
  private Context context;
  private ConsumerRunner inventory;
  private final List<Future<Delivery>> deliveries = new ArrayList<>();

  @BeforeEach
  void openTheStore(Vertx vertx) {
    real = result(TestStores.embedded(vertx, dir));
    store = new GatedStore(real);
    context = vertx.getOrCreateContext();
    inventory = new ConsumerRunner(vertx, store, EventSchemas.load(),
        new StockKeeping(store, EVENTS, new InventorySettings(0, INITIAL, Map.of("sku-1", PRICE, "sku-2", PRICE)),
            DefaultShop.upcasters()).consumer(),
        new RetryPolicy(10, 5, 20), Clock.systemUTC(), DefaultShop.upcasters());
  }

  @AfterEach
  void closeTheStore() {
    result(real.close());
  }

  @Test
  void an_order_waiting_behind_a_failing_write_of_its_product_is_decided_only_on_what_is_committed_after_it() {
    String first = placeAndDeliver(line("sku-1", 2));
    Await.until("the first order's commit is held", () -> store.holds(first));
    String second = placeAndDeliver(line("sku-1", 1));
    String other = placeAndDeliver(line("sku-1", 4), line("sku-2", 1));

    // the first write is lost; the first order is decided again, alone, and its write held again
    store.fail(first);
    Await.until("the first order's new commit is held", () -> store.holds(first));
    assertThat(store.holds(second) || store.holds(other)).as("nothing decided while the first is undone").isFalse();
    store.openTheGate();

    awaitEveryDelivery();
    assertThat(reservedIn(first, second, other)).as("every order reserved once in the end")
        .containsOnlyKeys(first, second, other);
    assertEveryLevelIsWhatTheLogSays(first, second, other);
  }

  @Test
  void orders_decided_together_after_a_failed_batch_each_find_every_product_of_the_catalog() {
    String first = placeAndDeliver(line("sku-1", 2));
    Await.until("the first order's commit is held", () -> store.holds(first));
    String both = placeAndDeliver(line("sku-1", 1), line("sku-2", 1));
    String more = placeAndDeliver(line("sku-2", 3));
    store.letThrough(first);
    Await.until("the next two orders' commit is held", () -> store.holds(both) && store.holds(more));
    store.fail(both); // the batch of both and more is lost: each is decided again alone
    store.openTheGate();

    awaitEveryDelivery();
    assertThat(inventoryStream(both)).extracting(StoredEvent::type).containsExactly("StockReserved");
    assertThat(inventoryStream(more)).extracting(StoredEvent::type).containsExactly("StockReserved");
    assertEveryLevelIsWhatTheLogSays(first, both, more);
  }

  @Test
  void writes_failing_at_random_among_many_orders_of_few_products_leave_every_level_as_the_log_says() {
    List<String> orders = new ArrayList<>();
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 40; i++) {
      OrderLine[] lines = switch (i % 3) {
        case 0 -> new OrderLine[] {line("sku-1", 1 + i % 4)};
        case 1 -> new OrderLine[] {line("sku-1", 1), line("sku-2", 1 + i % 5)};
        default -> new OrderLine[] {line("sku-2", 2)};
      };
      orders.add(placeAndDeliver(lines));
      // now and then, fail whatever commit waits (a lost connection), else let it through
      for (String order : orders) {
        if (store.holds(order)) {
          if (random.nextInt(3) == 0) {
            store.fail(order);
          } else {
            store.letThrough(order);
          }
        }
      }
    }
    store.openTheGate();

    awaitEveryDelivery();
    assertEveryLevelIsWhatTheLogSays(orders.toArray(String[]::new));
  }

  // ---------------------------------------------------------------- helpers

  private String placeAndDeliver(OrderLine... lines) {
    String order = newOrderId();
    List<OrderLine> items = List.of(lines);
    BigDecimal total = items.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
    EventEnvelope placed = EVENTS.create(EventCatalog.ORDER_PLACED, order,
        new OrderPlaced(order, CUSTOMER, items, total, "EUR", null), new EventFactory.Cause(order, null));
    StoredEvent stored = result(real.commit(startStream(placed))).get(0);
    deliveries.add(Await.on(context, () -> inventory.deliver(stored)));
    return order;
  }

  private void awaitEveryDelivery() {
    for (Future<Delivery> delivery : deliveries) {
      assertThat(result(delivery).outcome()).isNotEqualTo(Delivery.Outcome.DEAD_LETTERED);
    }
  }

  /** Each product's stored level is its initial stock less what the log's reservations hold. */
  private void assertEveryLevelIsWhatTheLogSays(String... orders) {
    Map<String, Integer> held = new HashMap<>();
    reservedIn(orders).values().forEach(lines ->
        lines.forEach(line -> held.merge(line.productId(), line.quantity(), Integer::sum)));
    for (String productId : INITIAL.keySet()) {
      int expected = INITIAL.get(productId) - held.getOrDefault(productId, 0);
      int stored = result(real.document(StockLevels.COLLECTION, productId))
          .map(document -> document.body().getInteger("available")).orElse(INITIAL.get(productId));
      assertThat(stored).as("the level of %s against the log", productId).isEqualTo(expected);
    }
  }

  /** The lines each order holds reserved now, by the log: reserved and not released. */
  private Map<String, List<StockLine>> reservedIn(String... orders) {
    Map<String, List<StockLine>> reserved = new HashMap<>();
    for (String order : orders) {
      for (StoredEvent event : inventoryStream(order)) {
        if (event.type().equals("StockReserved")) {
          reserved.put(order, EventData.decode(event.envelope().data(), StockReserved.class).lines());
        } else if (event.type().equals("StockReleased")) {
          reserved.remove(order, EventData.decode(event.envelope().data(), StockReleased.class).lines());
        }
      }
    }
    return reserved;
  }

  private List<StoredEvent> inventoryStream(String order) {
    return result(real.readStream(Streams.of(StockKeeping.MODULE, order)));
  }

  private static OrderLine line(String productId, int quantity) {
    return new OrderLine(productId, quantity, PRICE);
  }
}
