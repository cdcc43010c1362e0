package dev.switchboard.runtime.transport.local;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.Eventing;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.Registration;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.ForwardingEventStore;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.Transport;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local transport end to end: committed events reach the consumers started with
 * {@link Eventing#start(EventConsumer)}, woken by the store after each commit, which read them from
 * the store from their checkpoints. Nothing publishes them: the log is the queue.
 *
 * <p>The periodic polls are set far apart, so that what arrives here arrives through the wake-ups
 * (except in the test of the poll itself).
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalTransportTest {

  private static final long NEVER = 600_000;
  /** Small batches, so that a consumer reads the log in several rounds. */
  private static final LocalTransportSettings TRANSPORT = new LocalTransportSettings(NEVER, 4);
  private static final Set<String> SUBSCRIBED = Set.of("OrderPlaced", "OrderConfirmed");

  @TempDir
  Path dir;

  private Vertx vertx;
  private EventStore store;
  private Context context;
  private RecordingTransport transport;
  private final List<Subscription> subscriptions = new ArrayList<>();

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    this.store = result(TestStores.embedded(vertx, dir));
    this.context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stopEverything() {
    for (Subscription subscription : subscriptions) {
      Await.onContext(context, subscription::close);
    }
    result(store.close());
  }

  @Test
  void committed_events_are_delivered_to_each_subscribed_consumer_once_in_log_order() {
    Eventing eventing = eventing(TRANSPORT);
    Recorder projector = new Recorder("projector");
    Recorder auditor = new Recorder("auditor");
    subscribe(eventing, projector);
    subscribe(eventing, auditor);

    List<StoredEvent> committed = commitOrders(5);
    List<StoredEvent> expected = subscribedOnly(committed);

    projector.awaitCount(expected.size());
    auditor.awaitCount(expected.size());
    projector.awaitHandled(last(expected));
    assertThat(projector.ids()).containsExactlyInAnyOrderElementsOf(ids(expected));
    assertThat(auditor.ids()).containsExactlyInAnyOrderElementsOf(ids(expected));
    projector.assertEachAppliedOnce(expected);
    assertThat(result(store.checkpoint("projector"))).isEqualTo(last(expected).position());
    assertThat(ids(transport.deliveredTo("projector"))).as("what the transport delivered")
        .containsExactlyInAnyOrderElementsOf(ids(expected));
    assertThat(projector.ids()).as("nothing delivered twice").hasSize(expected.size());
    assertInLogOrderPerSubject(transport.deliveredTo("projector"));
    assertInLogOrderPerSubject(transport.deliveredTo("auditor"));
  }

  @Test
  void events_after_the_last_one_the_inbox_holds_are_handed_over_as_new_and_those_before_are_looked_for() {
    List<StoredEvent> expected = subscribedOnly(commitOrders(3));
    // handled by a node that died before it saved a checkpoint: its effects and inbox entries are there
    List<StoredEvent> handledBefore = List.of(expected.get(0), expected.get(2));
    for (StoredEvent event : handledBefore) {
      result(store.commitConsumed("projector", event, UnitOfWork.NOTHING.and(new DocumentWrite("applied-projector",
          event.id(), ExpectedVersion.ANY, new JsonObject()))));
    }
    Eventing eventing = eventing(TRANSPORT);
    Recorder projector = new Recorder("projector");

    subscribe(eventing, projector);
    projector.awaitHandled(last(expected));

    assertThat(ids(transport.deliveredAsNew("projector"))).as("after the inbox's reach: handed over as new")
        .containsExactlyInAnyOrderElementsOf(ids(expected.subList(3, expected.size())));
    assertThat(projector.ids()).as("handled before: skipped, never decided again")
        .containsExactlyInAnyOrderElementsOf(ids(List.of(expected.get(1), expected.get(3), expected.get(4),
            expected.get(5))));
    projector.assertEachAppliedOnce(expected);
  }

  @Test
  void a_consumer_subscribed_after_events_were_committed_catches_up_from_its_checkpoint() {
    Eventing eventing = eventing(TRANSPORT);
    List<StoredEvent> expected = subscribedOnly(commitOrders(5));
    // the consumer handled the first three before it went down
    List<StoredEvent> handledBefore = expected.subList(0, 3);
    for (StoredEvent event : handledBefore) {
      result(store.commitConsumed("projector", event, UnitOfWork.NOTHING));
    }
    result(store.saveCheckpoint("projector", last(handledBefore).position()));
    Recorder projector = new Recorder("projector");

    subscribe(eventing, projector);

    List<StoredEvent> missed = expected.subList(3, expected.size());
    projector.awaitCount(missed.size());
    assertThat(projector.ids()).containsExactlyInAnyOrderElementsOf(ids(missed));
    assertThat(ids(transport.deliveredTo("projector"))).as("what the transport delivered")
        .containsExactlyInAnyOrderElementsOf(ids(missed));
    // and a new consumer reads the whole log
    Recorder newcomer = new Recorder("newcomer");
    subscribe(eventing, newcomer);
    newcomer.awaitCount(expected.size());
    assertThat(newcomer.ids()).containsExactlyInAnyOrderElementsOf(ids(expected));
  }

  @Test
  void a_new_subscription_of_the_same_consumer_gets_only_what_was_committed_after_the_last_one_closed() {
    Eventing eventing = eventing(TRANSPORT);
    Recorder first = new Recorder("projector");
    Subscription subscription = subscribe(eventing, first);
    List<StoredEvent> before = subscribedOnly(commitOrders(3));
    first.awaitCount(before.size());

    Await.onContext(context, subscription::close);
    subscriptions.remove(subscription);
    List<StoredEvent> after = subscribedOnly(commitOrders(3));
    assertThat(first.ids()).as("a closed subscription delivers no more").containsExactlyInAnyOrderElementsOf(ids(before));

    int deliveredBefore = transport.deliveredTo("projector").size();
    Recorder second = new Recorder("projector");
    subscribe(eventing, second);

    second.awaitCount(after.size());
    second.awaitHandled(last(after));
    assertThat(second.ids()).containsExactlyInAnyOrderElementsOf(ids(after));
    List<StoredEvent> delivered = transport.deliveredTo("projector");
    assertThat(ids(delivered.subList(deliveredBefore, delivered.size()))).as("what the transport delivered")
        .containsExactlyInAnyOrderElementsOf(ids(after));
    List<StoredEvent> all = new ArrayList<>(before);
    all.addAll(after);
    second.assertEachAppliedOnce(all);
    assertThat(result(store.checkpoint("projector"))).isEqualTo(last(after).position());
  }

  @Test
  void a_consumer_that_missed_every_wake_up_still_gets_the_events_by_polling() {
    store = new ForwardingEventStore(store) {
      @Override
      public Registration onAppended(Set<String> types, Runnable listener) {
        return () -> { }; // a store that never wakes anyone: only the poll finds the events
      }
    };
    Eventing eventing = eventing(new LocalTransportSettings(50, 4));
    Recorder projector = new Recorder("projector");
    subscribe(eventing, projector);

    List<StoredEvent> expected = subscribedOnly(commitOrders(2));

    projector.awaitCount(expected.size());
    assertThat(projector.ids()).containsExactlyInAnyOrderElementsOf(ids(expected));
  }

  @Test
  void events_a_handler_appends_travel_on_to_the_next_consumer() {
    Eventing eventing = eventing(TRANSPORT);
    EventConsumer inventory = EventConsumer.named("inventory")
        .on(EventCatalog.ORDER_PLACED, event -> Future.succeededFuture(
            startStream(eventing.events().create(EventCatalog.STOCK_RESERVED, event.subject(),
                new StockReserved(event.subject(),
                    List.of(new StockLine(TestEvents.PRODUCT, 1))),
                EventFactory.Cause.of(event.envelope())))))
        .build();
    List<Received<?>> reservations = new CopyOnWriteArrayList<>();
    EventConsumer payments = EventConsumer.named("payments")
        .on(EventCatalog.STOCK_RESERVED, event -> {
          reservations.add(event);
          return Future.succeededFuture(UnitOfWork.NOTHING);
        })
        .build();
    subscriptions.add(Await.onContext(context, () -> eventing.start(inventory)));
    subscriptions.add(Await.onContext(context, () -> eventing.start(payments)));
    String order = newOrderId();

    StoredEvent placed = result(store.commit(startStream(orderPlaced(order)))).get(0);

    Await.until("payments saw the reservation", () -> reservations.size() == 1);
    EventEnvelope reservation = reservations.get(0).envelope();
    assertThat(reservation.subject()).isEqualTo(order);
    assertThat(reservation.causationid()).isEqualTo(placed.id());
    assertThat(reservation.correlationid()).isEqualTo(placed.envelope().correlationid());
    assertThat(result(store.readSubject(order))).extracting(StoredEvent::type)
        .containsExactly("OrderPlaced", "StockReserved");
  }

  @Test
  void after_an_events_delivery_fails_no_later_event_of_its_order_is_delivered_before_it_is_handled() {
    Eventing eventing = eventing(new LocalTransportSettings(50, 4)); // after a failure, the next poll reads again
    List<StoredEvent> committed = commitOrders(1); // placed, confirmed, cancelled: one read of four takes them all
    StoredEvent placed = committed.get(0);
    transport.failFirstDeliveryOf(placed.id()); // the store went away as the consumer recorded it
    Recorder projector = new Recorder("projector");
    subscribe(eventing, projector);

    List<StoredEvent> expected = subscribedOnly(committed);
    projector.awaitHandled(last(expected));
    assertThat(projector.ids()).as("the order's events, each once, in the log's order")
        .containsExactlyElementsOf(ids(expected));
    projector.assertEachAppliedOnce(expected);
  }

  // ------------------------------------------------------------------ helpers

  private Eventing eventing(LocalTransportSettings settings) {
    transport = new RecordingTransport(new LocalTransport(vertx, store, settings));
    return new Eventing(vertx, store, transport, TestStores.schemas(), EventFactory.system(), new RetryPolicy(3, 5, 20),
        new ProjectionRunner.Settings(100, 50), EventMetrics.none(),
            DefaultShop.deadLetterMaxRawBytes(), DefaultShop.upcasters());
  }

  private Subscription subscribe(Eventing eventing, Recorder recorder) {
    Subscription subscription = Await.onContext(context, () -> eventing.start(recorder.consumer()));
    subscriptions.add(subscription);
    assertThat(subscription.consumer()).isEqualTo(recorder.name);
    return subscription;
  }

  /**
   * Commits, one commit each, for {@code orders} orders: every order placed, then every one confirmed,
   * and every other one cancelled too, interleaved across the streams; returns the events in log order.
   */
  private List<StoredEvent> commitOrders(int orders) {
    List<String> ids = new ArrayList<>();
    List<StoredEvent> committed = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      String id = newOrderId();
      ids.add(id);
      committed.addAll(result(store.commit(startStream(orderPlaced(id)))));
    }
    for (int i = 0; i < orders; i++) {
      committed.addAll(result(store.commit(appendAny(orderConfirmed(ids.get(i))))));
      if (i % 2 == 0) {
        committed.addAll(result(store.commit(appendAny(orderCancelled(ids.get(i), "changed my mind")))));
      }
    }
    return committed;
  }

  private static List<StoredEvent> subscribedOnly(List<StoredEvent> events) {
    return events.stream().filter(e -> SUBSCRIBED.contains(e.type())).toList();
  }

  /** Events of one subject were delivered in log order (subjects may interleave in any way). */
  private static void assertInLogOrderPerSubject(List<StoredEvent> delivered) {
    java.util.Map<String, Long> lastOfSubject = new java.util.HashMap<>();
    for (StoredEvent event : delivered) {
      Long previous = lastOfSubject.put(event.envelope().subject(), event.position());
      assertThat(previous == null || previous < event.position())
          .as("%s at %d after %d of the same subject", event.type(), event.position(), previous).isTrue();
    }
  }

  private static List<String> ids(List<StoredEvent> events) {
    return events.stream().map(StoredEvent::id).toList();
  }

  private static StoredEvent last(List<StoredEvent> events) {
    return events.get(events.size() - 1);
  }

  /** A consumer of {@link #SUBSCRIBED} that notes what it is given and, as its effect, counts applications. */
  private final class Recorder {
    final String name;
    final List<StoredEvent> seen = new CopyOnWriteArrayList<>();

    Recorder(String name) {
      this.name = name;
    }

    EventConsumer consumer() {
      return EventConsumer.named(name)
          .on(EventCatalog.ORDER_PLACED, this::record)
          .on(EventCatalog.ORDER_CONFIRMED, this::record)
          .build();
    }

    private Future<UnitOfWork> record(Received<?> event) {
      seen.add(event.event());
      return Future.succeededFuture(UnitOfWork.NOTHING.and(new DocumentWrite("applied-" + name, event.envelope().id(),
          ExpectedVersion.ANY, new JsonObject().put("position", event.event().position()))));
    }

    /** Waits until the handler was given {@code count} events; their effects may still be committing. */
    void awaitCount(int count) {
      Await.until(name + " has seen " + count + " events", () -> seen.size() >= count);
    }

    /** Waits until the consumer's checkpoint, committed with each effect, has reached the event. */
    void awaitHandled(StoredEvent event) {
      Await.until(name + " has handled the event at " + event.position(),
          () -> result(store.checkpoint(name)) >= event.position());
    }

    List<String> ids() {
      return seen.stream().map(StoredEvent::id).toList();
    }

    void assertEachAppliedOnce(List<StoredEvent> events) {
      for (StoredEvent event : events) {
        assertThat(result(store.document("applied-" + name, event.id())))
            .as("the effect of %s", event.id()).map(Document::revision).contains(1L);
      }
    }
  }

  /** The local transport, noting every event it hands to each consumer (before the inbox can skip it). */
  private static final class RecordingTransport implements Transport {
    private final Transport delegate;
    private final Map<String, List<StoredEvent>> delivered = new ConcurrentHashMap<>();
    private final Map<String, List<StoredEvent>> deliveredAsNew = new ConcurrentHashMap<>();
    private final Set<String> toFailOnce = ConcurrentHashMap.newKeySet();

    RecordingTransport(Transport delegate) {
      this.delegate = delegate;
    }

    /** The first delivery of the event fails as it does when the store cannot record it, before the consumer sees it. */
    void failFirstDeliveryOf(String eventId) {
      toFailOnce.add(eventId);
    }

    private Future<Delivery> deliverUnlessToFail(StoredEvent event, Supplier<Future<Delivery>> delivery) {
      if (toFailOnce.remove(event.id())) {
        return Future.failedFuture(new StoreUnavailable("the store went away (in the test)", null));
      }
      return delivery.get();
    }

    List<StoredEvent> deliveredTo(String consumer) {
      return List.copyOf(delivered.getOrDefault(consumer, List.of()));
    }

    /** Those of {@link #deliveredTo} handed over as new: not to be looked for in the inbox. */
    List<StoredEvent> deliveredAsNew(String consumer) {
      return List.copyOf(deliveredAsNew.getOrDefault(consumer, List.of()));
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Future<Void> publish(List<StoredEvent> events) {
      return delegate.publish(events);
    }

    @Override
    public Future<Subscription> subscribe(String consumer, Set<String> types, Inbound inbound) {
      List<StoredEvent> log = delivered.computeIfAbsent(consumer, name -> new CopyOnWriteArrayList<>());
      List<StoredEvent> logOfNew = deliveredAsNew.computeIfAbsent(consumer, name -> new CopyOnWriteArrayList<>());
      return delegate.subscribe(consumer, types, new Inbound() {
        @Override
        public Future<Delivery> deliver(StoredEvent event) {
          log.add(event);
          return deliverUnlessToFail(event, () -> inbound.deliver(event));
        }

        @Override
        public Future<Delivery> deliverNew(StoredEvent event) {
          log.add(event);
          logOfNew.add(event);
          return deliverUnlessToFail(event, () -> inbound.deliverNew(event));
        }

        @Override
        public Future<Delivery> unreadable(String payload, String reason) {
          return inbound.unreadable(payload, reason);
        }
      });
    }

    @Override
    public Future<Void> ping() {
      return delegate.ping();
    }

    @Override
    public Future<Void> close() {
      return delegate.close();
    }
  }
}
