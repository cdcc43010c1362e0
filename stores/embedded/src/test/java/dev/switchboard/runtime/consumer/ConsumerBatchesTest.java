package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.ForwardingEventStore;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Delivery;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.invalidOrderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer that decides in batches, over the real embedded store: what arrives while a batch
 * commits is decided next, together, on what it committed; a batch that cannot commit is sorted
 * out one event at a time, with nothing lost and nothing applied twice.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerBatchesTest {

  private static final String CONSUMER = "counter";
  private static final RetryPolicy RETRY = new RetryPolicy(3, 5, 20);

  @TempDir
  Path dir;

  private Vertx vertx;
  private EventStore store;
  private Context context;
  /** The subjects of each batch the handler was given, in order. */
  private final List<List<String>> batches = new CopyOnWriteArrayList<>();

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
  void events_delivered_in_one_turn_are_decided_in_one_batch() {
    ConsumerRunner runner = runner();
    List<StoredEvent> events = placed(10);

    List<Delivery> deliveries = deliverAtOnce(runner, events);

    assertThat(deliveries).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.HANDLED);
    assertThat(count()).isEqualTo(10);
    assertThat(batches).as("the first did not start a batch of its own: the others were coming in the same turn")
        .extracting(List::size).containsExactly(10);
  }

  @Test
  void events_that_arrive_while_a_batch_commits_are_decided_together_on_what_it_committed() {
    ConsumerRunner runner = runner();
    List<StoredEvent> events = placed(10);

    // the first in one turn, the rest in a later one, after the first's batch started
    List<Delivery> deliveries = Await.onContext(context, () -> {
      Future<Delivery> first = runner.deliver(events.get(0));
      Promise<List<Delivery>> rest = Promise.promise();
      context.runOnContext(v -> context.runOnContext(w -> Future.all(events.subList(1, events.size()).stream()
          .map(runner::deliver).toList()).map(all -> all.<Delivery>list()).onComplete(rest)));
      return Future.all(first, rest.future()).map(both -> {
        List<Delivery> all = new ArrayList<>();
        all.add(first.result());
        all.addAll(rest.future().result());
        return all;
      });
    });

    assertThat(deliveries).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.HANDLED);
    assertThat(count()).as("every event counted once, each batch on the count the one before committed")
        .isEqualTo(10);
    assertThat(batches).as("the first alone (nothing else was waiting), the rest together while it committed")
        .extracting(List::size).containsExactly(1, 9);
    for (StoredEvent event : events) {
      assertThat(result(store.isHandled(CONSUMER, event))).isTrue();
    }
  }

  @Test
  void a_batch_holding_an_event_handled_before_is_sorted_out_one_event_at_a_time() {
    ConsumerRunner runner = runner();
    List<StoredEvent> events = placed(3);
    Await.onContext(context, () -> runner.deliver(events.get(1)));

    List<Delivery> deliveries = deliverAtOnce(runner, events);

    assertThat(deliveries).extracting(Delivery::outcome)
        .containsExactly(Delivery.Outcome.HANDLED, Delivery.Outcome.DUPLICATE, Delivery.Outcome.HANDLED);
    assertThat(count()).as("the event handled before is not counted again").isEqualTo(3);
  }

  @Test
  void events_read_from_the_log_after_all_the_consumer_handled_are_decided_without_asking_the_store() {
    AtomicInteger storeAsked = new AtomicInteger();
    store = new ForwardingEventStore(store) {
      @Override
      public Future<Set<String>> handledAmong(String consumer, Collection<StoredEvent> asked) {
        storeAsked.incrementAndGet();
        return delegate.handledAmong(consumer, asked);
      }
    };
    ConsumerRunner runner = runner();
    List<StoredEvent> events = placed(6);

    List<Delivery> fresh = Await.onContext(context, () -> Future.all(events.subList(0, 3).stream()
        .map(runner::deliverNew).toList()).map(all -> all.<Delivery>list()));
    assertThat(fresh).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.HANDLED);
    assertThat(storeAsked).as("nothing to look for").hasValue(0);

    List<Delivery> again = deliverAtOnce(runner, events.subList(3, 6)); // delivered again, as far as it knows
    assertThat(again).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.HANDLED);
    assertThat(storeAsked.get()).as("events that may be duplicates are looked for").isPositive();
    assertThat(count()).isEqualTo(6);
  }

  @Test
  void an_event_handed_over_as_new_that_was_handled_before_after_all_is_still_applied_once() {
    // a node that lost its lane without knowing may still commit beside its successor: the
    // consumer's place in the event's stream, written with the effect, keeps it from being applied twice
    ConsumerRunner runner = runner();
    List<StoredEvent> events = placed(3);
    Await.onContext(context, () -> runner.deliver(events.get(1)));

    List<Delivery> deliveries = Await.onContext(context, () -> Future.all(events.stream()
        .map(runner::deliverNew).toList()).map(all -> all.<Delivery>list()));

    assertThat(deliveries).extracting(Delivery::outcome)
        .containsExactly(Delivery.Outcome.HANDLED, Delivery.Outcome.DUPLICATE, Delivery.Outcome.HANDLED);
    assertThat(count()).as("the event handled before is not counted again").isEqualTo(3);
  }

  @Test
  void a_poison_event_goes_to_the_dead_letters_and_the_others_of_its_batch_commit_together() {
    ConsumerRunner runner = runner();
    List<StoredEvent> events = new ArrayList<>(placed(3));
    // from a broker, not our log: checked against its schema, which it breaks
    StoredEvent poison = new StoredEvent(0, invalidOrderPlaced(newOrderId()));
    events.add(2, poison);

    List<Delivery> deliveries = deliverAtOnce(runner, events);

    assertThat(deliveries).extracting(Delivery::outcome).containsExactly(Delivery.Outcome.HANDLED,
        Delivery.Outcome.HANDLED, Delivery.Outcome.DEAD_LETTERED, Delivery.Outcome.HANDLED);
    assertThat(result(store.deadLetters(10))).extracting(DeadLetter::eventId).containsExactly(poison.id());
    assertThat(count()).isEqualTo(3);
    assertThat(batches).as("the poison taken out of the batch").extracting(List::size).containsExactly(3);
  }

  @Test
  void two_events_of_one_subject_are_never_decided_in_one_batch() {
    ConsumerRunner runner = runner();
    String order = newOrderId();
    // two deliveries about one order (from a broker: no position), between others
    List<StoredEvent> events = List.of(committed(orderPlaced(newOrderId())), new StoredEvent(0, orderPlaced(order)),
        committed(orderPlaced(newOrderId())), new StoredEvent(0, orderPlaced(order)));

    List<Delivery> deliveries = deliverAtOnce(runner, events);

    assertThat(deliveries).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.HANDLED);
    assertThat(batches).allSatisfy(subjects -> assertThat(subjects).doesNotHaveDuplicates());
    assertThat(batches).flatExtracting(subjects -> subjects).filteredOn(order::equals).hasSize(2);
    assertThat(count()).isEqualTo(4);
  }

  @Test
  void an_independent_event_retried_alone_holds_back_neither_the_next_batches_nor_its_own_outcome() {
    AtomicBoolean gatewayUp = new AtomicBoolean(false);
    // as many as there are batches in flight: held in their batches, they would stop everything
    List<StoredEvent> failing = placed(ConsumerBatches.MAX_IN_FLIGHT_INDEPENDENT);
    List<String> recorded = new CopyOnWriteArrayList<>();
    EventConsumer independent = EventConsumer.named(CONSUMER)
        .on(EventCatalog.ORDER_PLACED, event -> {
          if (failing.contains(event.event()) && !gatewayUp.get()) {
            recorded.add("failed");
            return Future.failedFuture(new IllegalStateException("gateway down"));
          }
          return Future.succeededFuture(UnitOfWork.NOTHING.and(new DocumentWrite("seen", event.subject(),
              ExpectedVersion.NONE, new JsonObject())));
        })
        .build();
    // retried for some twenty seconds unless the gateway comes back
    ConsumerRunner runner = new ConsumerRunner(vertx, store, TestStores.schemas(), independent,
        new RetryPolicy(1_000, 20, 20), Clock.systemUTC(),
            DefaultShop.upcasters());
    List<Future<Delivery>> retried = new ArrayList<>();
    for (StoredEvent event : failing) { // one at a time: each is a batch of its own
      retried.add(Await.on(context, () -> runner.deliver(event)));
    }
    Await.until("the failing events are being retried alone", () -> recorded.size() >= 3 * failing.size());

    List<Delivery> others = deliverAtOnce(runner, placed(3));

    assertThat(others).extracting(Delivery::outcome).containsOnly(Delivery.Outcome.HANDLED);
    assertThat(retried).as("still retrying").noneMatch(Future::isComplete);
    gatewayUp.set(true);
    for (Future<Delivery> delivery : retried) {
      assertThat(Await.result(delivery).outcome()).isEqualTo(Delivery.Outcome.HANDLED);
    }
    for (StoredEvent event : failing) {
      assertThat(result(store.document("seen", event.envelope().subject()))).isPresent();
    }
  }

  /** Counts the events it decides in one shared document, written back at the revision it read. */
  private ConsumerRunner runner() {
    EventConsumer counter = EventConsumer.named(CONSUMER)
        .inBatches(events -> {
          batches.add(events.stream().map(Received::subject).toList());
          return store.document("counters", "placed").map(found -> {
            long revision = found.map(Document::revision).orElse(ExpectedVersion.NONE);
            int count = found.map(document -> document.body().getInteger("count")).orElse(0);
            return UnitOfWork.NOTHING.and(new DocumentWrite("counters", "placed", revision,
                new JsonObject().put("count", count + events.size())));
          });
        }, EventCatalog.ORDER_PLACED)
        .build();
    return new ConsumerRunner(vertx, store, TestStores.schemas(), counter, RETRY,
        Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), ZoneOffset.UTC),
            DefaultShop.upcasters());
  }

  private int count() {
    return result(store.document("counters", "placed")).map(document -> document.body().getInteger("count"))
        .orElse(0);
  }

  private List<StoredEvent> placed(int how) {
    List<StoredEvent> events = new ArrayList<>();
    for (int i = 0; i < how; i++) {
      events.add(committed(orderPlaced(newOrderId())));
    }
    return events;
  }

  private StoredEvent committed(EventEnvelope event) {
    return result(store.commit(startStream(event))).get(0);
  }

  /** Delivers as a transport does, all on one event loop in one go, and waits for every acknowledgement. */
  private List<Delivery> deliverAtOnce(ConsumerRunner runner, List<StoredEvent> events) {
    return Await.onContext(context, () -> Future.all(events.stream().map(runner::deliver).toList())
        .map(all -> all.<Delivery>list()));
  }
}
