package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.Eventing;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.local.LocalTransport;
import dev.switchboard.runtime.transport.local.LocalTransportSettings;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.append;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every handler relies on under batches: it sees an order's events in the order of their
 * stream, never a later one before an earlier one is done, even while batches fail and events are
 * decided again alone. Runs the real embedded store and local transport, with many orders whose
 * events are committed interleaved, and handlers that fail the first attempt of some events.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PerOrderOrderingTest {

  private static final int ORDERS = 150;
  private static final long SEED = new Random().nextLong();

  @TempDir
  Path dir;

  private EventStore store;
  private Context context;
  private Eventing eventing;
  private final List<Subscription> subscriptions = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    LocalTransport transport = new LocalTransport(vertx, store, new LocalTransportSettings(100, 64));
    eventing = new Eventing(vertx, store, transport, TestStores.schemas(), EventFactory.system(),
        new RetryPolicy(10, 1, 5), new ProjectionRunner.Settings(100, 50), EventMetrics.none(),
            DefaultShop.deadLetterMaxRawBytes(), DefaultShop.upcasters());
  }

  @AfterEach
  void stop() {
    for (Subscription subscription : subscriptions) {
      Await.onContext(context, subscription::close);
    }
    result(store.close());
  }

  @Test
  void each_handler_sees_every_order_s_events_in_stream_order_with_batches_and_retries() {
    System.out.println("[PerOrderOrderingTest] seed " + SEED);
    Random random = new Random(SEED);
    Witness independent = new Witness(random);
    Witness together = new Witness(random);
    subscriptions.add(Await.onContext(context, () -> eventing.start(EventConsumer.named("independent")
        .on(EventCatalog.ORDER_PLACED, independent::handle)
        .on(EventCatalog.ORDER_CONFIRMED, independent::handle)
        .on(EventCatalog.ORDER_CANCELLED, independent::handle)
        .build())));
    subscriptions.add(Await.onContext(context, () -> eventing.start(EventConsumer.named("together")
        .inBatches(together::handleBatch, EventCatalog.ORDER_PLACED, EventCatalog.ORDER_CONFIRMED,
            EventCatalog.ORDER_CANCELLED)
        .build())));

    List<StoredEvent> committed = commitInterleaved();

    for (String consumer : List.of("independent", "together")) {
      Await.until(consumer + " has handled every event",
          () -> result(store.handledAmong(consumer, committed)).size() == committed.size());
    }
    independent.assertInStreamOrder();
    together.assertInStreamOrder();
    assertThat(independent.failedOnce.size() + together.failedOnce.size())
        .as("some first attempts failed, so that events were decided again alone").isPositive();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  /**
   * Each order placed, then confirmed, then cancelled, three rounds of commits over every order, the
   * commits of a round sent together so that they interleave in the log.
   */
  private List<StoredEvent> commitInterleaved() {
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      orders.add(newOrderId());
    }
    List<Function<String, EventEnvelope>> rounds = List.of(
        order -> orderPlaced(order), order -> orderConfirmed(order), order -> orderCancelled(order, "changed mind"));
    List<StoredEvent> committed = new ArrayList<>();
    for (int round = 0; round < rounds.size(); round++) {
      List<Future<List<StoredEvent>>> commits = new ArrayList<>();
      for (String order : orders) {
        commits.add(store.commit(UnitOfWork.of(append(round, rounds.get(round).apply(order)))));
      }
      commits.forEach(commit -> committed.addAll(result(commit)));
    }
    return committed;
  }

  /** Notes what a handler was given, per order, and fails the first attempt of some events. */
  private static final class Witness {

    private final Random random;
    private final Map<String, List<Long>> seenByOrder = new ConcurrentHashMap<>();
    final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    Witness(Random random) {
      this.random = random;
    }

    Future<UnitOfWork> handle(Received<?> event) {
      see(event);
      if (failsFirstTime(event)) {
        return Future.failedFuture(new IllegalStateException("a first attempt that fails"));
      }
      return Future.succeededFuture(UnitOfWork.NOTHING);
    }

    Future<UnitOfWork> handleBatch(List<Received<? extends Record>> events) {
      events.forEach(this::see);
      if (events.stream().anyMatch(this::failsFirstTime)) {
        return Future.failedFuture(new IllegalStateException("a batch holding a first attempt that fails"));
      }
      return Future.succeededFuture(UnitOfWork.NOTHING);
    }

    private void see(Received<?> event) {
      seenByOrder.computeIfAbsent(event.subject(), order -> new CopyOnWriteArrayList<>())
          .add(event.envelope().sequence());
    }

    private boolean failsFirstTime(Received<?> event) {
      synchronized (random) {
        return random.nextInt(10) == 0 && failedOnce.add(event.envelope().id());
      }
    }

    /**
     * Per order, what the handler saw never goes back: an event seen again (decided again alone
     * after a failure) comes before any later one, and all three were seen.
     */
    void assertInStreamOrder() {
      assertThat(seenByOrder).hasSize(ORDERS);
      seenByOrder.forEach((order, sequences) -> {
        assertThat(sequences).as("the sequences seen of order %s", order).isSorted();
        assertThat(sequences.stream().distinct().toList()).as("order %s", order).containsExactly(1L, 2L, 3L);
      });
    }
  }
}
