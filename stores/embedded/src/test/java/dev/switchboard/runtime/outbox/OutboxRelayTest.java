package dev.switchboard.runtime.outbox;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.Transport;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay publishes the log from its checkpoint, on the real embedded store. The broker here is a
 * recording stand-in (the relay's part is what it asks of the broker, and when); the Kafka and
 * RabbitMQ outage tests run the relay against real brokers.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutboxRelayTest {

  private static final long NEVER = 600_000;
  /** Small batches, so that the log is published in several rounds. */
  private static final OutboxRelay.Settings SETTINGS = new OutboxRelay.Settings(3, NEVER, 5_000);

  @TempDir
  Path dir;

  private Vertx vertx;
  private EventStore store;
  private Context context;
  private OutboxRelay relay;

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    this.store = result(TestStores.embedded(vertx, dir));
    this.context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stopEverything() {
    if (relay != null) {
      Await.onContext(context, relay::stop);
    }
    result(store.close());
  }

  @Test
  void every_event_is_published_once_in_log_order_whether_committed_before_the_relay_started_or_after() {
    Broker broker = new Broker(false);
    List<StoredEvent> committed = new ArrayList<>(commitOrders(2));

    start(broker, SETTINGS);
    committed.addAll(commitOrders(3));

    Await.until("everything is published", () -> broker.published.size() == committed.size());
    assertThat(broker.published).containsExactlyElementsOf(committed);
    assertThat(broker.batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 3));
    Await.until("the checkpoint is at the last one",
        () -> result(store.checkpoint(OutboxRelay.CHECKPOINT)) == last(committed).position());
    assertThat(result(relay.backlog())).isEqualTo(new OutboxBacklog(0, java.util.Optional.empty()));
  }

  @Test
  void what_the_broker_did_not_take_waits_in_the_backlog_and_is_published_when_it_does() {
    Broker broker = new Broker(false);
    broker.refusing.set(Integer.MAX_VALUE);
    List<StoredEvent> committed = commitOrders(2);

    start(broker, new OutboxRelay.Settings(3, 50, 5_000));

    Await.until("the relay tried more than once", () -> broker.attempts.get() >= 2);
    OutboxBacklog waiting = result(relay.backlog());
    assertThat(waiting.events()).isEqualTo(committed.size());
    assertThat(waiting.oldest()).contains(Instant.parse(committed.get(0).envelope().time()));
    assertThat(result(store.checkpoint(OutboxRelay.CHECKPOINT))).as("nothing counts as published").isZero();

    broker.refusing.set(0);

    Await.until("everything is published", () -> broker.published.size() >= committed.size());
    assertThat(broker.published).containsExactlyElementsOf(committed);
    Await.until("the backlog is empty", () -> result(relay.backlog()).events() == 0);
  }

  @Test
  void a_relay_taking_over_publishes_from_where_the_checkpoint_says_the_last_one_stopped() {
    List<StoredEvent> committed = commitOrders(3);
    long publishedByTheLastOne = committed.get(3).position();
    result(store.saveCheckpoint(OutboxRelay.CHECKPOINT, publishedByTheLastOne));
    Broker broker = new Broker(false);

    start(broker, SETTINGS);

    Await.until("the rest is published", () -> broker.published.size() == committed.size() - 4);
    assertThat(broker.published).containsExactlyElementsOf(committed.subList(4, committed.size()));
  }

  @Test
  void where_consumers_read_the_log_nothing_is_published_and_the_checkpoint_follows_the_head() {
    Broker localLike = new Broker(true);
    List<StoredEvent> before = commitOrders(2);

    start(localLike, new OutboxRelay.Settings(3, 50, 5_000));

    Await.until("the checkpoint reaches the head",
        () -> result(store.checkpoint(OutboxRelay.CHECKPOINT)) == last(before).position());
    List<StoredEvent> after = commitOrders(1);
    Await.onContext(context, relay::stop);
    relay = null;
    assertThat(result(store.checkpoint(OutboxRelay.CHECKPOINT))).as("marked at stop")
        .isEqualTo(last(after).position());
    assertThat(localLike.attempts).hasValue(0);
  }

  // ------------------------------------------------------------------ helpers

  private void start(Transport transport, OutboxRelay.Settings settings) {
    relay = new OutboxRelay(vertx, store, transport, settings);
    Await.onContext(context, () -> {
      relay.start();
      return Future.succeededFuture();
    });
  }

  /** Each order placed and confirmed, one commit per order; the events in log order. */
  private List<StoredEvent> commitOrders(int orders) {
    List<StoredEvent> committed = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      String order = newOrderId();
      committed.addAll(result(store.commit(startStream(orderPlaced(order), orderConfirmed(order)))));
    }
    return committed;
  }

  private static StoredEvent last(List<StoredEvent> events) {
    return events.get(events.size() - 1);
  }

  /** Records what it is given; refuses while {@link #refusing} is positive. */
  private static final class Broker implements Transport {

    final List<StoredEvent> published = new CopyOnWriteArrayList<>();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    final AtomicInteger refusing = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();
    private final boolean consumersReadTheLog;

    Broker(boolean consumersReadTheLog) {
      this.consumersReadTheLog = consumersReadTheLog;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public Future<Void> publish(List<StoredEvent> events) {
      attempts.incrementAndGet();
      if (refusing.get() > 0) {
        return Future.failedFuture(new IllegalStateException("the broker is away"));
      }
      published.addAll(events);
      batchSizes.add(events.size());
      return Future.succeededFuture();
    }

    @Override
    public boolean consumersReadTheLog() {
      return consumersReadTheLog;
    }

    @Override
    public Future<Subscription> subscribe(String consumer, Set<String> types, Inbound inbound) {
      throw new UnsupportedOperationException("the relay only publishes");
    }

    @Override
    public Future<Void> ping() {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}
