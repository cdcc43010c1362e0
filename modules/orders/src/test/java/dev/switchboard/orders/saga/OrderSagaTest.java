package dev.switchboard.orders.saga;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.inventory.StockUnavailable;
import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.contracts.payments.DeclineCode;
import dev.switchboard.contracts.payments.PaymentDeclined;
import dev.switchboard.orders.application.OrderStream;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
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
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.CUSTOMER;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.orderPlacedV1;
import static dev.switchboard.runtime.testing.TestEvents.paymentAuthorized;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order saga over the real embedded store: what inventory and payments say becomes the end of
 * the order, in the order's own stream.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderSagaTest {

  private static final EventFactory EVENTS = EventFactory.system();
  private static final BigDecimal TOTAL = new BigDecimal("25.50");

  @TempDir
  Path dir;

  private EventStore store;
  private Context context;
  private ConsumerRunner saga;

  @BeforeEach
  void openTheStore(Vertx vertx) {
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    saga = new ConsumerRunner(vertx, store, EventSchemas.load(),
        new OrderSaga(new OrderStream(store, EVENTS, DefaultShop.upcasters())).consumer(), new RetryPolicy(3, 5, 20),
        Clock.systemUTC(), DefaultShop.upcasters());
  }

  @AfterEach
  void closeTheStore() {
    result(store.close());
  }

  @Test
  void an_authorised_payment_confirms_the_order_with_its_total() {
    String order = newOrderId();
    committed(orderPlaced(order, TOTAL));
    StoredEvent authorized = committed(paymentAuthorized(order, TOTAL));

    deliver(authorized);

    List<StoredEvent> stream = orderStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderConfirmed");
    OrderConfirmed confirmed = EventData.decode(stream.get(1).envelope().data(), OrderConfirmed.class);
    assertThat(confirmed.orderId()).isEqualTo(order);
    assertThat(confirmed.customerId()).isEqualTo(CUSTOMER);
    assertThat(confirmed.total()).isEqualByComparingTo(TOTAL);
    EventEnvelope envelope = stream.get(1).envelope();
    assertThat(envelope.sequence()).isEqualTo(2);
    assertThat(envelope.correlationid()).isEqualTo(order);
    assertThat(envelope.causationid()).as("caused by the payment").isEqualTo(authorized.id());
    assertThat(result(store.isHandled(OrderSaga.CONSUMER, authorized))).isTrue();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void unavailable_stock_cancels_the_order_with_the_reason_inventory_gave() {
    String order = newOrderId();
    committed(orderPlaced(order, TOTAL));
    String reason = "stock unavailable: sku-1: 1 wanted, 0 available";
    StoredEvent unavailable = committed(EVENTS.create(EventCatalog.STOCK_UNAVAILABLE, order,
        new StockUnavailable(order, List.of("sku-1"), reason), new EventFactory.Cause(order, null)));

    deliver(unavailable);

    List<StoredEvent> stream = orderStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderCancelled");
    assertThat(EventData.decode(stream.get(1).envelope().data(), OrderCancelled.class))
        .isEqualTo(new OrderCancelled(order, CUSTOMER, reason));
    assertThat(stream.get(1).envelope().causationid()).isEqualTo(unavailable.id());
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_declined_payment_cancels_the_order_with_the_reason_payments_gave() {
    String order = newOrderId();
    committed(orderPlaced(order, TOTAL));
    String reason = "payment declined: total 25.50 is over the limit of 20";
    StoredEvent declined = committed(declined(order, reason));

    deliver(declined);

    List<StoredEvent> stream = orderStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderCancelled");
    assertThat(EventData.decode(stream.get(1).envelope().data(), OrderCancelled.class))
        .isEqualTo(new OrderCancelled(order, CUSTOMER, reason));
  }

  @Test
  void a_payment_outcome_delivered_twice_ends_the_order_once() {
    String order = newOrderId();
    committed(orderPlaced(order, TOTAL));
    StoredEvent authorized = committed(paymentAuthorized(order, TOTAL));

    deliver(authorized);
    deliver(authorized);

    assertThat(orderStream(order)).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderConfirmed");
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_late_decline_leaves_a_confirmed_order_confirmed_and_is_not_a_failure() {
    String order = newOrderId();
    committed(orderPlaced(order, TOTAL));
    deliver(committed(paymentAuthorized(order, TOTAL)));
    StoredEvent lateDecline = committed(declined(order, "payment declined: changed its mind"));

    deliver(lateDecline);

    assertThat(orderStream(order)).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderConfirmed");
    assertThat(result(store.isHandled(OrderSaga.CONSUMER, lateDecline))).isTrue();
    assertThat(result(store.deadLetters(10))).as("a final order staying final is no failure").isEmpty();
  }

  @Test
  void a_payment_for_an_order_never_placed_goes_to_the_dead_letters_at_once() {
    String order = newOrderId();
    StoredEvent authorized = committed(paymentAuthorized(order, TOTAL));

    deliver(authorized);

    assertThat(orderStream(order)).isEmpty();
    List<DeadLetter> letters = result(store.deadLetters(10));
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.consumer()).isEqualTo(OrderSaga.CONSUMER);
    assertThat(letter.eventId()).isEqualTo(authorized.id());
    assertThat(letter.attempts()).as("never retried: it cannot get better").isEqualTo(1);
    assertThat(letter.reason()).contains("PaymentAuthorized").contains("there is no order " + order);
  }

  @Test
  void a_payment_of_another_amount_than_the_total_confirms_nothing_and_goes_to_the_dead_letters() {
    String order = newOrderId();
    committed(orderPlaced(order, TOTAL));
    StoredEvent underpaid = committed(paymentAuthorized(order, new BigDecimal("0.01")));

    deliver(underpaid);

    assertThat(orderStream(order)).extracting(StoredEvent::type).containsExactly("OrderPlaced");
    List<DeadLetter> letters = result(store.deadLetters(10));
    assertThat(letters).singleElement().satisfies(letter -> {
      assertThat(letter.eventId()).isEqualTo(underpaid.id());
      assertThat(letter.attempts()).isEqualTo(1);
      assertThat(letter.reason()).contains("totals " + TOTAL.stripTrailingZeros().toPlainString()).contains("authorised is 0.01");
    });
  }

  @Test
  void a_payment_from_a_broker_whose_source_is_not_payments_is_refused_and_the_order_stays_pending() {
    String order = newOrderId();
    committed(orderPlaced(order, TOTAL));
    EventEnvelope forged = EventEnvelope.fromJson(paymentAuthorized(order, TOTAL).toJson().put("source", "/orders"));

    deliver(new StoredEvent(0, forged)); // position 0: it came from a broker, not from our log

    assertThat(orderStream(order)).extracting(StoredEvent::type).containsExactly("OrderPlaced");
    assertThat(result(store.deadLetters(10))).singleElement()
        .satisfies(letter -> assertThat(letter.reason()).contains("refused").contains("source is /orders"));
  }

  @Test
  void a_decline_and_an_order_written_in_version_1_by_an_older_node_cancel_the_order_all_the_same() {
    String order = newOrderId();
    committed(orderPlacedV1(order));
    String reason = "payment declined: total 25.50 is over the limit of 20";
    EventEnvelope v2 = declined(order, reason);
    JsonObject v1Data = v2.data().copy();
    v1Data.remove("reasonCode");
    StoredEvent declinedV1 = committed(new EventEnvelope(v2.id(), v2.type(), v2.source(), v2.subject(), v2.time(),
        EventCatalog.PAYMENT_DECLINED.dataschema(1), 1, 0, v2.correlationid(), v2.causationid(), v1Data));

    deliver(new StoredEvent(0, declinedV1.envelope())); // from a broker: checked against v1's schema

    List<StoredEvent> stream = orderStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderCancelled");
    assertThat(EventData.decode(stream.get(1).envelope().data(), OrderCancelled.class))
        .isEqualTo(new OrderCancelled(order, CUSTOMER, reason));
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  private static EventEnvelope declined(String order, String reason) {
    return EVENTS.create(EventCatalog.PAYMENT_DECLINED, order, new PaymentDeclined(order, TOTAL, reason, DeclineCode.LIMIT_EXCEEDED),
        new EventFactory.Cause(order, null));
  }

  /** Stores the event after whatever its stream holds, so that it has a position and a sequence. */
  private StoredEvent committed(EventEnvelope event) {
    List<StoredEvent> stored = event.type().equals("OrderPlaced")
        ? result(store.commit(startStream(event)))
        : result(store.commit(appendAny(event)));
    return stored.get(0);
  }

  private void deliver(StoredEvent event) {
    Await.onContext(context, () -> saga.deliver(event));
  }

  private List<StoredEvent> orderStream(String order) {
    return result(store.readStream(OrderStream.idOf(order)));
  }
}
