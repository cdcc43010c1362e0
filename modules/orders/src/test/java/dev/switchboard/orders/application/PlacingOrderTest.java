package dev.switchboard.orders.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.inventory.ProductPriced;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.orders.api.InvalidRequest;
import dev.switchboard.orders.api.OrdersApi;
import dev.switchboard.orders.api.PlaceOrderRequest;
import dev.switchboard.orders.readmodel.CatalogPrices;
import dev.switchboard.orders.readmodel.OrderView;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.ForwardingEventStore;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Placing an order against the real embedded store: the first event and the view in one commit,
 * and an {@code Idempotency-Key} that makes a retried request get the first answer, not a second order.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlacingOrderTest {

  private static final PlaceOrderRequest REQUEST = new PlaceOrderRequest("customer-1", List.of(
      new OrderLine("sku-1", 2, new BigDecimal("12.50")), new OrderLine("sku-2", 1, new BigDecimal("0.99"))));

  @TempDir
  Path dir;

  private static final Duration KEY_TTL = Duration.ofHours(1);

  private Vertx vertx;
  private EventStore store;
  private Context context;
  private PlacingOrder placing;
  private EventFactory events;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-02T03:04:05Z"));

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    Clock clock = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
    events = new EventFactory(clock, UUID::randomUUID);
    placing = new PlacingOrder(store, events, new OrderStream(store, events, DefaultShop.upcasters()), KEY_TTL,
        DefaultShop.currency());
  }

  @AfterEach
  void closeTheStore() {
    result(store.close());
  }

  @Test
  void a_placed_order_is_pending_with_its_first_event_stored() {
    PlacingOrder.Answer answer = place(REQUEST, null);

    assertThat(answer.status()).isEqualTo(202);
    String order = answer.body().getString("orderId");
    assertThat(answer.body()).isEqualTo(new JsonObject().put("orderId", order).put("status", "PENDING"));
    List<StoredEvent> stream = result(store.readStream(OrderStream.idOf(order)));
    assertThat(stream).extracting(StoredEvent::type).containsExactly("OrderPlaced");
    OrderPlaced placed = EventData.decode(stream.get(0).envelope().data(), OrderPlaced.class);
    assertThat(placed.customerId()).isEqualTo("customer-1");
    assertThat(placed.items()).hasSize(2);
    assertThat(placed.total()).isEqualByComparingTo("25.99");
    assertThat(stream.get(0).envelope().correlationid()).isEqualTo(order);
    JsonObject view = OrderView.of(stream, DefaultShop.upcasters()).orElseThrow();
    assertThat(view.getString("status")).isEqualTo("PENDING");
    assertThat(new BigDecimal(view.getValue("total").toString())).isEqualByComparingTo("25.99");
  }

  @Test
  void a_request_retried_under_the_same_key_gets_the_first_answer_and_no_second_order() {
    PlacingOrder.Answer first = place(REQUEST, "key-1");
    PlacingOrder.Answer retried = place(REQUEST, "key-1");

    assertThat(retried).isEqualTo(first);
    assertThat(placedOrders()).hasSize(1);
  }

  @Test
  void the_same_request_written_differently_counts_as_the_same_under_its_key() {
    PlaceOrderRequest samePrices = new PlaceOrderRequest("customer-1", List.of(
        new OrderLine("sku-1", 2, new BigDecimal("12.5")), new OrderLine("sku-2", 1, new BigDecimal("0.990"))));

    PlacingOrder.Answer first = place(REQUEST, "key-1");
    PlacingOrder.Answer retried = place(samePrices, "key-1");

    assertThat(retried).isEqualTo(first);
    assertThat(placedOrders()).hasSize(1);
  }

  @Test
  void two_requests_under_the_same_key_at_once_place_one_order_and_get_the_same_answer() {
    List<PlacingOrder.Answer> answers = Await.onContext(context, () -> {
      Future<PlacingOrder.Answer> a = placing.place(REQUEST, "key-1");
      Future<PlacingOrder.Answer> b = placing.place(REQUEST, "key-1");
      return Future.all(a, b).map(both -> List.of(a.result(), b.result()));
    });

    assertThat(answers.get(0)).isEqualTo(answers.get(1));
    assertThat(placedOrders()).hasSize(1);
  }

  @Test
  void a_key_used_again_with_another_request_is_refused_and_places_nothing() {
    place(REQUEST, "key-1");
    PlaceOrderRequest other = new PlaceOrderRequest("customer-1", List.of(new OrderLine("sku-3", 1, BigDecimal.ONE)));

    Throwable refused = Await.failure(start(() -> placing.place(other, "key-1")));

    assertThat(refused).isInstanceOf(PlacingOrder.KeyReused.class).hasMessageContaining("key-1");
    assertThat(placedOrders()).hasSize(1);
  }

  @Test
  void two_customers_using_the_same_key_get_an_order_each() {
    PlaceOrderRequest another = new PlaceOrderRequest("customer-2", REQUEST.items());

    PlacingOrder.Answer first = place(REQUEST, "key-1");
    PlacingOrder.Answer second = place(another, "key-1");

    assertThat(second.body().getString("orderId")).isNotEqualTo(first.body().getString("orderId"));
    assertThat(placedOrders()).hasSize(2);
    assertThat(place(another, "key-1")).as("each customer's retry gets its own answer").isEqualTo(second);
  }

  @Test
  void a_key_counts_as_unused_once_it_has_expired() {
    PlacingOrder.Answer first = place(REQUEST, "key-1");
    now.set(now.get().plus(KEY_TTL).minusSeconds(1));
    assertThat(place(REQUEST, "key-1")).as("just before it expires").isEqualTo(first);

    now.set(now.get().plusSeconds(1));
    PlacingOrder.Answer afterExpiry = place(REQUEST, "key-1");
    PlaceOrderRequest other = new PlaceOrderRequest("customer-1", List.of(new OrderLine("sku-3", 1, BigDecimal.ONE)));

    assertThat(afterExpiry.body().getString("orderId")).isNotEqualTo(first.body().getString("orderId"));
    assertThat(place(REQUEST, "key-1")).as("the key is in use again, from now").isEqualTo(afterExpiry);
    assertThat(Await.failure(start(() -> placing.place(other, "key-1")))).isInstanceOf(PlacingOrder.KeyReused.class);
    assertThat(placedOrders()).hasSize(2);
  }

  @Test
  void a_keys_answer_is_deleted_by_the_stores_pruning_once_the_key_has_expired_and_not_before() {
    Instant usedAt = now.get();
    PlacingOrder.Answer first = place(REQUEST, "key-1");

    assertThat(result(store.forgetExpiredDocuments(usedAt.plus(KEY_TTL).minusSeconds(1), 10))).isZero();
    assertThat(place(REQUEST, "key-1")).as("still answered as before").isEqualTo(first);
    assertThat(result(store.forgetExpiredDocuments(usedAt.plus(KEY_TTL), 10))).as("the key's answer").isEqualTo(1);

    now.set(usedAt.plus(KEY_TTL));
    PlaceOrderRequest other = new PlaceOrderRequest("customer-1", List.of(new OrderLine("sku-3", 1, BigDecimal.ONE)));
    PlacingOrder.Answer afterPruning = place(other, "key-1");

    assertThat(afterPruning.status()).as("a new use of the key").isEqualTo(202);
    assertThat(afterPruning.body().getString("orderId")).isNotEqualTo(first.body().getString("orderId"));
    assertThat(placedOrders()).hasSize(2);
  }

  @Test
  void a_key_used_again_while_the_pruning_deletes_its_expired_answer_places_the_order() {
    Instant usedAt = now.get();
    PlacingOrder.Answer first = place(REQUEST, "key-1");
    now.set(usedAt.plus(KEY_TTL));
    // the node's pruning deletes the expired answer just after placing read it, before placing writes
    EventStore pruningMeanwhile = new ForwardingEventStore(store) {
      @Override
      public Future<Optional<Document>> document(String collection, String id) {
        return delegate.document(collection, id)
            .compose(found -> delegate.forgetExpiredDocuments(now.get(), 10).map(found));
      }
    };
    PlacingOrder placingMeanwhile = new PlacingOrder(pruningMeanwhile, events,
        new OrderStream(pruningMeanwhile, events, DefaultShop.upcasters()), KEY_TTL, DefaultShop.currency());

    PlacingOrder.Answer again = Await.onContext(context, () -> placingMeanwhile.place(REQUEST, "key-1"));

    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body().getString("orderId")).isNotEqualTo(first.body().getString("orderId"));
    assertThat(place(REQUEST, "key-1")).as("the key's new answer").isEqualTo(again);
    assertThat(placedOrders()).hasSize(2);
  }

  @Test
  void requests_without_a_key_are_separate_orders() {
    String first = place(REQUEST, null).body().getString("orderId");
    String second = place(REQUEST, null).body().getString("orderId");

    assertThat(first).isNotEqualTo(second);
    assertThat(placedOrders()).hasSize(2);
  }

  @Test
  void an_order_is_priced_from_the_catalog_a_line_without_a_price_included() {
    priceInTheCatalog("sku-1", "10.00");
    PlaceOrderRequest unpriced = new PlaceOrderRequest("customer-1", List.of(new OrderLine("sku-1", 3, null)));

    String order = place(unpriced, null).body().getString("orderId");

    OrderPlaced placed = EventData.decode(result(store.readStream(OrderStream.idOf(order))).get(0).envelope().data(),
        OrderPlaced.class);
    assertThat(placed.items()).singleElement().satisfies(line -> assertThat(line.unitPrice()).isEqualByComparingTo("10"));
    assertThat(placed.total()).isEqualByComparingTo("30");
  }

  @Test
  void a_price_other_than_the_catalogs_is_refused_naming_the_catalogs_and_places_nothing() {
    priceInTheCatalog("sku-1", "10.00");
    PlaceOrderRequest cheap = new PlaceOrderRequest("customer-1", List.of(
        new OrderLine("sku-1", 1_000, new BigDecimal("0.01"))));

    Throwable refused = Await.failure(Await.on(context, () -> placing.place(cheap, "k-cheap")));

    assertThat(refused).isInstanceOfSatisfying(PlacingOrder.PricedOtherwise.class, otherwise ->
        assertThat(otherwise.problems()).containsExactly(
            new InvalidRequest.Problem("items[0].unitPrice", "the catalog prices sku-1 at 10.00")));
    assertThat(placedOrders()).isEmpty();
  }

  @Test
  void a_product_without_a_price_and_no_price_given_cannot_be_priced() {
    PlaceOrderRequest unpriced = new PlaceOrderRequest("customer-1", List.of(new OrderLine("no-such-product", 1, null)));

    Throwable refused = Await.failure(Await.on(context, () -> placing.place(unpriced, null)));

    assertThat(refused).isInstanceOfSatisfying(PlacingOrder.PricedOtherwise.class, otherwise ->
        assertThat(otherwise.problems()).extracting(InvalidRequest.Problem::problem)
            .containsExactly("no-such-product has no price in the catalog"));
  }

  // ------------------------------------------------------------------ helpers

  /** Appends inventory's ProductPriced and projects it into the catalog_prices read model, as a node does. */
  private void priceInTheCatalog(String productId, String price) {
    EventFactory events = EventFactory.system();
    result(store.commit(UnitOfWork.of(new StreamAppend(Streams.of("inventory", productId), ExpectedVersion.ANY,
        List.of(events.create(EventCatalog.PRODUCT_PRICED, productId, new ProductPriced(productId, new BigDecimal(price)),
            new EventFactory.Cause(productId, null)))))));
    ProjectionRunner prices = new ProjectionRunner(vertx, store, CatalogPrices.readModel(),
        new ProjectionRunner.Settings(100, 20), DefaultShop.upcasters());
    Await.onContext(context, prices::start);
    Await.until("the price of " + productId + " to be known", () -> result(store.readModels()
        .row(CatalogPrices.NAME, productId)).isPresent());
    Await.onContext(context, prices::stop);
  }


  private PlacingOrder.Answer place(PlaceOrderRequest request, String key) {
    return Await.onContext(context, () -> placing.place(request, key));
  }

  private <T> Future<T> start(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private List<StoredEvent> placedOrders() {
    return result(store.readAll(0, Set.of("OrderPlaced"), 100));
  }
}
