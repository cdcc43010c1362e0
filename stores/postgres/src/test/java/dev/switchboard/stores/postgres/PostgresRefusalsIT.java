package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.EventHandler;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Delivery;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile broker input on the real PostgreSQL store: an event that can never be stored is
 * dead-lettered at once, with the reason, instead of being retried as if the store were down, and
 * the store keeps serving the next event.
 */
class PostgresRefusalsIT extends PostgresTestSupport {

  private static final RetryPolicy RETRY = new RetryPolicy(5, 5, 20);
  private static final String CONSUMER = "order-projector";

  private EventStore store;
  private Context context;
  private final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void openTheStore() {
    store = open();
    context = vertx.getOrCreateContext();
  }

  @Test
  void a_broker_event_with_a_NUL_in_a_text_field_is_dead_lettered_at_once_and_the_store_stays_usable() {
    ConsumerRunner runner = runner(this::recordCustomer);
    StoredEvent hostile = fromBroker(withCustomer(orderPlaced(newOrderId()), "customer-\u0000-1"));

    Delivery delivery = deliver(runner, hostile);

    assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.DEAD_LETTERED);
    DeadLetter letter = singleDeadLetter();
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(letter.reason()).contains("/customerId").contains("NUL");
    assertThat(calls).hasValue(0);
    assertStoreServesTheNextEvent(runner);
  }

  @Test
  void a_write_the_database_refuses_is_dead_lettered_at_once_with_the_database_reason() {
    // the handler itself writes what PostgreSQL refuses (a NUL in a key): not an outage, never retried
    ConsumerRunner runner = runner(event -> {
      calls.incrementAndGet();
      return Future.succeededFuture(UnitOfWork.NOTHING.and(new DocumentWrite("customers",
          event.subject().startsWith("order-bad") ? "key-\u0000" : event.subject(), ExpectedVersion.ANY,
          new JsonObject().put("customerId", event.data().customerId()))));
    });
    StoredEvent refused = fromBroker(orderPlaced("order-bad-" + newOrderId()));

    Delivery delivery = deliver(runner, refused);

    assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.DEAD_LETTERED);
    DeadLetter letter = singleDeadLetter();
    assertThat(letter.attempts()).as("dead-lettered at once, not after %s attempts", RETRY.maxAttempts())
        .isEqualTo(1);
    assertThat(letter.reason()).contains("RefusedByStore").contains("22021");
    assertThat(calls).hasValue(1);
    assertStoreServesTheNextEvent(runner);
  }

  // ------------------------------------------------------------------ helpers

  private void assertStoreServesTheNextEvent(ConsumerRunner runner) {
    StoredEvent next = fromBroker(orderPlaced(newOrderId()));
    assertThat(deliver(runner, next).outcome()).isEqualTo(Delivery.Outcome.HANDLED);
    assertThat(result(store.isHandled(CONSUMER, next))).isTrue();
    assertThat(result(store.deadLetters(10))).hasSize(1);
  }

  private Future<UnitOfWork> recordCustomer(dev.switchboard.runtime.consumer.Received<OrderPlaced> event) {
    calls.incrementAndGet();
    return Future.succeededFuture(UnitOfWork.NOTHING.and(new DocumentWrite("customers", event.subject(),
        ExpectedVersion.ANY, new JsonObject().put("customerId", event.data().customerId()))));
  }

  private ConsumerRunner runner(EventHandler<OrderPlaced> handler) {
    EventConsumer consumer = EventConsumer.named(CONSUMER).on(EventCatalog.ORDER_PLACED, handler).build();
    return new ConsumerRunner(vertx, store, TestStores.schemas(), consumer, RETRY, Clock.systemUTC(),
        DefaultShop.upcasters());
  }

  /** As a broker wire hands it over: read from the wire's JSON, not from our log (position 0). */
  private static StoredEvent fromBroker(EventEnvelope envelope) {
    return new StoredEvent(0, EventEnvelope.fromJson(new JsonObject(envelope.toJson().encode())));
  }

  private static EventEnvelope withCustomer(EventEnvelope envelope, String customerId) {
    JsonObject json = envelope.toJson();
    json.getJsonObject("data").put("customerId", customerId);
    return EventEnvelope.fromJson(json);
  }

  private Delivery deliver(ConsumerRunner runner, StoredEvent event) {
    return Await.onContext(context, () -> runner.deliver(event));
  }

  private DeadLetter singleDeadLetter() {
    List<DeadLetter> letters = result(store.deadLetters(10));
    assertThat(letters).hasSize(1);
    return letters.get(0);
  }
}
