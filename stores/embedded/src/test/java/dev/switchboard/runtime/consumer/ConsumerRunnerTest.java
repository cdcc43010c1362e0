package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DeadLetterGone;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.tracing.EventTracer;
import dev.switchboard.runtime.transport.Delivery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.invalidOrderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.orderPlacedV1;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer runner over the real embedded store: schema check, inbox (effects exactly once),
 * retries with backoff, and dead letters, with handlers written here.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerRunnerTest {

  private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
  private static final RetryPolicy RETRY = new RetryPolicy(3, 5, 20);
  private static final String CONSUMER = "order-projector";

  @TempDir
  Path dir;

  private Vertx vertx;
  private EventStore store;
  private Context context;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<Received<OrderPlaced>> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    this.store = result(TestStores.embedded(vertx, dir));
    this.context = vertx.getOrCreateContext();
  }

  @AfterEach
  void closeTheStore() {
    result(store.close());
  }

  @Test
  void a_handled_event_commits_its_effect_with_the_inbox_entry() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(this::recordTotal));
    StoredEvent placed = committed(orderPlaced(newOrderId(), new BigDecimal("42.50")));

    deliver(runner, placed);

    assertThat(calls).hasValue(1);
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.event()).isEqualTo(placed);
      assertThat(r.data().orderId()).isEqualTo(placed.envelope().subject());
      assertThat(r.data().total()).isEqualByComparingTo("42.50");
    });
    Document effect = result(store.document("totals", placed.envelope().subject())).orElseThrow();
    assertThat(effect.revision()).isEqualTo(1);
    assertThat(new BigDecimal(effect.body().getValue("total").toString())).isEqualByComparingTo("42.50");
    assertThat(result(store.isHandled(CONSUMER, placed))).isTrue();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_redelivered_event_is_skipped_without_calling_the_handler_again() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(this::recordTotal));
    StoredEvent placed = committed(orderPlaced(newOrderId()));

    deliver(runner, placed);
    deliver(runner, placed);

    assertThat(calls).hasValue(1);
    assertThat(result(store.document("totals", placed.envelope().subject()))).map(Document::revision).contains(1L);
  }

  @Test
  void two_deliveries_of_the_same_event_at_once_give_one_effect() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(this::recordTotal));
    StoredEvent placed = committed(orderPlaced(newOrderId()));

    Await.onContext(context, () -> Future.all(runner.deliver(placed), runner.deliver(placed)));

    // both may decide, but the inbox lets only one effect in
    assertThat(result(store.document("totals", placed.envelope().subject()))).map(Document::revision).contains(1L);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_handler_failing_twice_then_succeeding_is_retried_and_its_effect_committed_once() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(event -> {
      if (calls.get() <= 2) {
        return Future.failedFuture(new IllegalStateException("database hiccup " + calls.get()));
      }
      return recordTotal(event);
    }));
    StoredEvent placed = committed(orderPlaced(newOrderId()));

    deliver(runner, placed);

    assertThat(calls).hasValue(3);
    assertThat(result(store.document("totals", placed.envelope().subject()))).map(Document::revision).contains(1L);
    assertThat(result(store.isHandled(CONSUMER, placed))).isTrue();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_store_down_through_every_attempt_fails_the_delivery_for_a_later_one_and_writes_no_dead_letter() {
    AtomicBoolean storeDown = new AtomicBoolean(true);
    ConsumerRunner runner = runner(consumerOfOrderPlaced(event -> storeDown.get()
        ? Future.failedFuture(new StoreUnavailable("the PostgreSQL store failed: connection refused", null))
        : recordTotal(event)));
    StoredEvent placed = committed(orderPlaced(newOrderId()));

    Throwable failed = Await.failure(Await.on(context, () -> runner.deliver(placed)));

    assertThat(failed).isInstanceOf(StoreUnavailable.class);
    assertThat(calls).hasValue(RETRY.maxAttempts());
    assertThat(result(store.deadLetters(10))).as("an outage is not the event's fault").isEmpty();
    assertThat(result(store.isHandled(CONSUMER, placed))).isFalse();

    storeDown.set(false);
    deliver(runner, placed); // the transport's later delivery

    assertThat(result(store.document("totals", placed.envelope().subject()))).map(Document::revision).contains(1L);
    assertThat(result(store.isHandled(CONSUMER, placed))).isTrue();
  }

  @Test
  void retries_dead_letters_and_outcomes_are_counted_per_consumer_and_type() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventConsumer flaky = consumerOfOrderPlaced(event -> calls.get() <= 2
        ? Future.failedFuture(new IllegalStateException("hiccup"))
        : recordTotal(event));
    ConsumerRunner runner = new ConsumerRunner(vertx, store, TestStores.schemas(), flaky, RETRY,
        Clock.fixed(NOW, ZoneOffset.UTC), new EventMetrics(registry), EventTracer.idsOnly(), DefaultShop.upcasters());
    StoredEvent first = committed(orderPlaced(newOrderId()));
    StoredEvent hopeless = committed(orderPlaced(newOrderId()));

    deliver(runner, first); // fails twice, then is handled
    calls.set(-10); // from now on every attempt fails
    deliver(runner, hopeless);
    deliver(runner, first); // a duplicate

    assertThat(registry.get("switchboard.consumer.retries").tags("consumer", CONSUMER, "type", "OrderPlaced")
        .counter().count()).isEqualTo(2 + (RETRY.maxAttempts() - 1));
    assertThat(registry.get("switchboard.dead.letters").tags("consumer", CONSUMER, "type", "OrderPlaced")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("switchboard.events.handled").tags("outcome", "handled").counter().count()).isEqualTo(1);
    assertThat(registry.get("switchboard.events.handled").tags("outcome", "dead_lettered").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("switchboard.events.handled").tags("outcome", "duplicate").counter().count()).isEqualTo(1);
    assertThat(registry.get("switchboard.handler.duration").tags("consumer", CONSUMER).timer().count()).isEqualTo(3);
  }

  @Test
  void a_handler_whose_effect_conflicts_is_retried_and_its_inbox_entry_does_not_stand_in_the_way() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(event -> {
      long expected = calls.get() == 1 ? 5 : ExpectedVersion.NONE; // the first decision was on stale data
      return Future.succeededFuture(UnitOfWork.NOTHING.and(
          new DocumentWrite("totals", event.subject(), expected, new JsonObject().put("total", 1))));
    }));
    StoredEvent placed = committed(orderPlaced(newOrderId()));

    deliver(runner, placed);

    assertThat(calls).hasValue(2);
    assertThat(result(store.document("totals", placed.envelope().subject()))).map(Document::revision).contains(1L);
    assertThat(result(store.isHandled(CONSUMER, placed))).isTrue();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_handler_that_always_fails_leads_to_a_dead_letter_after_the_last_attempt_and_the_delivery_is_acknowledged() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(event -> {
      throw new IllegalStateException("payment gateway down");
    }));
    StoredEvent placed = committed(orderPlaced(newOrderId()));

    deliver(runner, placed); // succeeds: the event is dealt with, the transport must not redeliver it

    assertThat(calls).hasValue(RETRY.maxAttempts());
    DeadLetter letter = singleDeadLetter();
    assertThat(letter.consumer()).isEqualTo(CONSUMER);
    assertThat(letter.eventId()).isEqualTo(placed.id());
    assertThat(letter.position()).isEqualTo(placed.position());
    assertThat(letter.attempts()).isEqualTo(RETRY.maxAttempts());
    assertThat(letter.reason()).contains("IllegalStateException").contains("payment gateway down");
    assertThat(letter.event()).isEqualTo(placed.envelope().toJson());
    assertThat(letter.failedAt()).isEqualTo(NOW.toString());
    assertThat(result(store.isHandled(CONSUMER, placed))).isTrue();
    assertThat(result(store.document("totals", placed.envelope().subject()))).isEmpty();

    deliver(runner, placed);
    assertThat(calls).as("a redelivered dead letter is not tried again").hasValue(RETRY.maxAttempts());
    assertThat(result(store.deadLetters(10))).hasSize(1);
  }

  @Test
  void a_poison_event_goes_straight_to_the_dead_letters_with_one_attempt() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(
        event -> Future.failedFuture(new PoisonEvent("an order of nothing cannot be fulfilled"))));
    StoredEvent placed = committed(orderPlaced(newOrderId()));

    deliver(runner, placed);

    assertThat(calls).hasValue(1);
    DeadLetter letter = singleDeadLetter();
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(letter.reason()).contains("PoisonEvent").contains("an order of nothing cannot be fulfilled");
    assertThat(result(store.isHandled(CONSUMER, placed))).isTrue();
  }

  @Test
  void an_event_whose_data_breaks_its_schema_goes_to_the_dead_letters_without_calling_the_handler() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(this::recordTotal));
    // as a broker could deliver it: the store would refuse to hold it
    StoredEvent invalid = new StoredEvent(0, invalidOrderPlaced(newOrderId()));

    deliver(runner, invalid);

    assertThat(calls).hasValue(0);
    DeadLetter letter = singleDeadLetter();
    assertThat(letter.eventId()).isEqualTo(invalid.id());
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(letter.reason()).contains("OrderPlaced v2 is invalid");
    assertThat(letter.event()).isEqualTo(invalid.envelope().toJson());
    assertThat(result(store.isHandled(CONSUMER, invalid))).isTrue();
  }

  @Test
  void an_event_of_an_older_version_from_a_broker_is_checked_against_its_own_schema_and_handled_as_the_newest() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(this::recordTotal));
    StoredEvent fromAnOlderNode = new StoredEvent(0, orderPlacedV1(newOrderId()));

    deliver(runner, fromAnOlderNode);

    assertThat(result(store.deadLetters(10))).isEmpty();
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.data().currency()).isEqualTo(DefaultShop.currency());
      assertThat(r.event().envelope().dataversion()).as("the handler sees the event as it came").isEqualTo(1);
    });
  }

  @Test
  void a_dead_letter_of_an_older_version_is_replayed_as_the_newest() {
    AtomicBoolean broken = new AtomicBoolean(true);
    ConsumerRunner runner = runner(consumerOfOrderPlaced(recordTotalUnless(broken)));
    deliver(runner, committed(orderPlacedV1(newOrderId())));
    DeadLetter letter = singleDeadLetter();
    broken.set(false);

    ConsumerRunner.ReplayOutcome outcome = Await.onContext(context, () -> runner.replay(letter));

    assertThat(outcome).isEqualTo(ConsumerRunner.ReplayOutcome.HANDLED);
    assertThat(received).singleElement()
        .satisfies(r -> assertThat(r.data().currency()).isEqualTo(DefaultShop.currency()));
  }

  @Test
  void an_event_of_a_type_the_consumer_does_not_handle_goes_to_the_dead_letters() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(this::recordTotal));
    StoredEvent cancelled = committed(orderCancelled(newOrderId(), "no stock"));

    deliver(runner, cancelled);

    assertThat(calls).hasValue(0);
    DeadLetter letter = singleDeadLetter();
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(letter.reason()).contains("does not handle").contains("OrderCancelled");
  }

  @Test
  void an_event_from_a_broker_older_than_one_already_applied_from_its_stream_goes_to_the_dead_letters_untried() {
    AtomicInteger confirmations = new AtomicInteger();
    ConsumerRunner runner = totalsAndConfirmations(confirmations);
    String order = newOrderId();
    List<StoredEvent> stream = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))))
        .stream().map(event -> new StoredEvent(0, event.envelope())).toList(); // as a broker delivers them

    deliver(runner, stream.get(1));
    deliver(runner, stream.get(0)); // arrives late

    assertThat(confirmations).hasValue(1);
    assertThat(received).as("decided once, not retried").hasSize(1);
    DeadLetter letter = singleDeadLetter();
    assertThat(letter.eventId()).isEqualTo(stream.get(0).id());
    assertThat(letter.attempts()).isEqualTo(1);
    assertThat(letter.reason()).contains("StaleEvent");
    assertThat(result(store.document("totals", order))).isEmpty();
  }

  @Test
  void an_event_of_the_log_read_again_after_a_later_one_of_its_stream_was_handled_is_a_duplicate_not_decided() {
    // after a crash a consumer reads the log again from its checkpoint: events of a stream it went
    // past were handled, as its place in the stream says
    AtomicInteger confirmations = new AtomicInteger();
    ConsumerRunner runner = totalsAndConfirmations(confirmations);
    String order = newOrderId();
    List<StoredEvent> stream = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))));
    deliver(runner, stream.get(0));
    deliver(runner, stream.get(1));

    Delivery again = deliver(runner, stream.get(0));

    assertThat(again.outcome()).isEqualTo(Delivery.Outcome.DUPLICATE);
    assertThat(received).as("decided once").hasSize(1);
    assertThat(confirmations).hasValue(1);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  // ------------------------------------------------------------------ replaying dead letters

  @Test
  void a_dead_letter_replayed_after_its_cause_was_fixed_is_handled_and_removed() {
    AtomicBoolean broken = new AtomicBoolean(true);
    ConsumerRunner runner = runner(consumerOfOrderPlaced(recordTotalUnless(broken)));
    StoredEvent placed = committed(orderPlaced(newOrderId()));
    deliver(runner, placed);
    DeadLetter letter = singleDeadLetter();
    broken.set(false);

    ConsumerRunner.ReplayOutcome outcome = Await.onContext(context, () -> runner.replay(letter));

    assertThat(outcome).isEqualTo(ConsumerRunner.ReplayOutcome.HANDLED);
    assertThat(result(store.deadLetters(10))).isEmpty();
    assertThat(result(store.document("totals", placed.envelope().subject()))).map(Document::revision).contains(1L);
    assertThat(received).singleElement().satisfies(r -> assertThat(r.event().id()).isEqualTo(placed.id()));
  }

  @Test
  void a_replay_that_fails_again_updates_the_same_letter_with_the_new_reason() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(event -> {
      throw new IllegalStateException(calls.get() <= RETRY.maxAttempts() ? "smtp down" : "mailbox full");
    }));
    StoredEvent placed = committed(orderPlaced(newOrderId()));
    deliver(runner, placed);
    DeadLetter letter = singleDeadLetter();

    ConsumerRunner.ReplayOutcome outcome = Await.onContext(context, () -> runner.replay(letter));

    assertThat(outcome).isEqualTo(ConsumerRunner.ReplayOutcome.DEAD_LETTERED_AGAIN);
    assertThat(calls).hasValue(2 * RETRY.maxAttempts());
    DeadLetter again = singleDeadLetter();
    assertThat(again.id()).isEqualTo(letter.id());
    assertThat(again.reason()).contains("mailbox full");
    assertThat(again.attempts()).isEqualTo(RETRY.maxAttempts());
    assertThat(again.event()).isEqualTo(letter.event());
  }

  @Test
  void replaying_a_letter_that_is_gone_fails_and_is_not_retried() {
    AtomicBoolean broken = new AtomicBoolean(true);
    ConsumerRunner runner = runner(consumerOfOrderPlaced(recordTotalUnless(broken)));
    StoredEvent placed = committed(orderPlaced(newOrderId()));
    deliver(runner, placed);
    DeadLetter letter = singleDeadLetter();
    result(store.discardDeadLetter(letter.id())); // discarded meanwhile
    broken.set(false);
    int callsBefore = calls.get();

    Throwable failure = Await.failure(Await.on(context, () -> runner.replay(letter)));

    assertThat(failure).isInstanceOf(DeadLetterGone.class);
    assertThat(calls.get() - callsBefore).isEqualTo(1);
    assertThat(result(store.document("totals", placed.envelope().subject()))).isEmpty();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_letter_whose_event_can_never_be_handled_is_refused_for_replay_and_kept() {
    ConsumerRunner runner = runner(consumerOfOrderPlaced(this::recordTotal));
    deliver(runner, new StoredEvent(0, invalidOrderPlaced(newOrderId())));
    DeadLetter letter = singleDeadLetter();

    Throwable failure = Await.failure(Await.on(context, () -> runner.replay(letter)));

    assertThat(failure).isInstanceOf(PoisonEvent.class).hasMessageContaining("cannot be replayed");
    assertThat(calls).hasValue(0);
    assertThat(result(store.findDeadLetter(letter.id()))).contains(letter);
  }

  // ------------------------------------------------------------------ helpers

  private ConsumerRunner runner(EventConsumer consumer) {
    return new ConsumerRunner(vertx, store, TestStores.schemas(), consumer, RETRY, Clock.fixed(NOW, ZoneOffset.UTC),
        DefaultShop.upcasters());
  }

  private EventConsumer consumerOfOrderPlaced(EventHandler<OrderPlaced> handler) {
    return EventConsumer.named(CONSUMER)
        .on(EventCatalog.ORDER_PLACED, event -> {
          calls.incrementAndGet();
          return handler.handle(event);
        })
        .build();
  }

  /** The effect: a document per order holding its total; its revision counts how often it was applied. */
  private Future<UnitOfWork> recordTotal(Received<OrderPlaced> event) {
    received.add(event);
    return Future.succeededFuture(UnitOfWork.NOTHING.and(new DocumentWrite("totals", event.subject(),
        ExpectedVersion.ANY, new JsonObject().put("total", event.data().total()))));
  }

  /** The effect, failing while {@code broken} holds (a mail server down, say). */
  private EventHandler<OrderPlaced> recordTotalUnless(AtomicBoolean broken) {
    return event -> {
      if (broken.get()) {
        throw new IllegalStateException("smtp down");
      }
      return recordTotal(event);
    };
  }

  private StoredEvent committed(EventEnvelope event) {
    return result(store.commit(startStream(event))).get(0);
  }

  /** A consumer that records each order's total, and counts the confirmations it handles. */
  private ConsumerRunner totalsAndConfirmations(AtomicInteger confirmations) {
    return runner(EventConsumer.named(CONSUMER)
        .on(EventCatalog.ORDER_PLACED, this::recordTotal)
        .on(EventCatalog.ORDER_CONFIRMED, event -> {
          confirmations.incrementAndGet();
          return Future.succeededFuture(UnitOfWork.NOTHING);
        })
        .build());
  }

  /** Delivers as a transport does, on an event loop, and waits for the acknowledgement. */
  private Delivery deliver(ConsumerRunner runner, StoredEvent event) {
    return Await.onContext(context, () -> runner.deliver(event));
  }

  private DeadLetter singleDeadLetter() {
    List<DeadLetter> letters = result(store.deadLetters(10));
    assertThat(letters).hasSize(1);
    return letters.get(0);
  }
}
