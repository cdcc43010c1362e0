package dev.switchboard.payments.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.contracts.payments.PaymentDeclined;
import dev.switchboard.payments.api.PaymentsSettings;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
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
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static dev.switchboard.runtime.testing.TestEvents.stockReserved;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Payments' consumer over the real embedded store: it learns each order's total from
 * {@code OrderPlaced} and, once the stock is reserved, authorises or declines it, once.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuthorisingTest {

  private static final PaymentsSettings SETTINGS = new PaymentsSettings(new BigDecimal("10000"));
  private static final RetryPolicy RETRY = new RetryPolicy(3, 5, 20);

  @TempDir
  Path dir;

  private Vertx vertx;
  private EventStore store;
  private Context context;

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void closeTheStore() {
    result(store.close());
  }

  @Test
  void a_reserved_order_within_the_limit_is_authorised_for_its_total() {
    ConsumerRunner payments = payments(RETRY);
    String order = newOrderId();
    deliver(payments, placed(order, "25.50"));
    StoredEvent reserved = committed(order);

    deliver(payments, reserved);

    List<StoredEvent> stream = paymentStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("PaymentAuthorized");
    PaymentAuthorized authorized = EventData.decode(stream.get(0).envelope().data(), PaymentAuthorized.class);
    assertThat(authorized.orderId()).isEqualTo(order);
    assertThat(authorized.amount()).isEqualByComparingTo("25.50");
    assertThat(stream.get(0).envelope().subject()).isEqualTo(order);
    assertThat(stream.get(0).envelope().correlationid()).isEqualTo(order);
    assertThat(stream.get(0).envelope().causationid()).isEqualTo(reserved.id());
  }

  @Test
  void a_reserved_order_of_exactly_the_limit_is_authorised() {
    ConsumerRunner payments = payments(RETRY);
    String order = newOrderId();
    deliver(payments, placed(order, "10000"));

    deliver(payments, committed(order));

    assertThat(paymentStream(order)).extracting(StoredEvent::type).containsExactly("PaymentAuthorized");
  }

  @Test
  void a_reserved_order_over_the_limit_is_declined_with_the_reason() {
    ConsumerRunner payments = payments(RETRY);
    String order = newOrderId();
    deliver(payments, placed(order, "12000.75"));

    deliver(payments, committed(order));

    List<StoredEvent> stream = paymentStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("PaymentDeclined");
    PaymentDeclined declined = EventData.decode(stream.get(0).envelope().data(), PaymentDeclined.class);
    assertThat(declined.orderId()).isEqualTo(order);
    assertThat(declined.amount()).isEqualByComparingTo("12000.75");
    assertThat(declined.reason()).isEqualTo("payment declined: total 12000.75 is over the limit of 10000");
  }

  @Test
  void a_reservation_delivered_twice_is_decided_once() {
    ConsumerRunner payments = payments(RETRY);
    String order = newOrderId();
    deliver(payments, placed(order, "25.50"));
    StoredEvent reserved = committed(order);

    deliver(payments, reserved);
    deliver(payments, reserved);

    assertThat(paymentStream(order)).hasSize(1);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_reservation_republished_under_another_event_id_is_decided_once() {
    ConsumerRunner payments = payments(RETRY);
    String order = newOrderId();
    deliver(payments, placed(order, "25.50"));
    StoredEvent reserved = committed(order);
    StoredEvent republished = committed(order);

    deliver(payments, reserved);
    deliver(payments, republished);

    assertThat(paymentStream(order)).extracting(StoredEvent::type).containsExactly("PaymentAuthorized");
    assertThat(result(store.isHandled(Authorising.CONSUMER, republished))).isTrue();
    assertThat(result(store.deadLetters(10))).as("a decision made before is no failure").isEmpty();
  }

  @Test
  void a_reservation_whose_placement_payments_never_handled_is_dead_lettered_at_once_naming_what_is_missing() {
    ConsumerRunner payments = payments(RETRY);
    String order = newOrderId();
    StoredEvent reserved = committed(order);

    deliver(payments, reserved);

    assertThat(paymentStream(order)).as("no decision without the total").isEmpty();
    assertThat(result(store.deadLetters(10))).singleElement().satisfies(letter -> {
      assertThat(letter.eventId()).isEqualTo(reserved.id());
      assertThat(letter.attempts()).as("never retried: it cannot succeed").isEqualTo(1);
      assertThat(letter.reason()).contains("knows no total of order " + order).contains("OrderPlaced");
    });
  }

  @Test
  void replaying_the_placement_then_the_reservation_decides_the_order() {
    ConsumerRunner payments = payments(RETRY);
    String order = newOrderId();
    StoredEvent placed = placed(order, "25.50");
    StoredEvent reserved = committed(order);
    deliver(payments, reserved); // dead-lettered: the placement was not handled

    deliver(payments, placed);
    DeadLetter letter = result(store.deadLetters(10)).get(0);
    Await.onContext(context, () -> payments.replay(letter));
    assertThat(result(store.deadLetters(10))).as("the replayed letter is gone").isEmpty();

    assertThat(paymentStream(order)).extracting(StoredEvent::type).containsExactly("PaymentAuthorized");
    assertThat(paymentStream(order).get(0).envelope().causationid()).isEqualTo(reserved.id());
  }

  // ------------------------------------------------------------------ helpers

  private ConsumerRunner payments(RetryPolicy retry) {
    return new ConsumerRunner(vertx, store, EventSchemas.load(),
        new Authorising(store, EventFactory.system(), SETTINGS).consumer(), retry, Clock.systemUTC(),
            DefaultShop.upcasters());
  }

  /** Commits an {@code OrderPlaced} of this total as the first event of the order's stream. */
  private StoredEvent placed(String order, String total) {
    return result(store.commit(startStream(orderPlaced(order, new BigDecimal(total))))).get(0);
  }

  /** Commits the order's {@code StockReserved} on its inventory stream. */
  private StoredEvent committed(String order) {
    return result(store.commit(appendAny(stockReserved(order)))).get(0);
  }

  private void deliver(ConsumerRunner runner, StoredEvent event) {
    Await.onContext(context, () -> runner.deliver(event));
  }

  private List<StoredEvent> paymentStream(String order) {
    return result(store.readStream(Streams.of(Authorising.MODULE, order)));
  }
}
