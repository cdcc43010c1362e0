package dev.switchboard.runtime.transport.wire;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.delivery.WireTransport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire test kit: what every broker's wire must do under the runtime's delivery engine, at the
 * level of messages. A wire's test extends it and says how to make the wire, how a foreign client
 * puts bytes on a channel, and how to take the broker down and bring it back; the end-to-end
 * transport TCK in {@code app} is the second layer.
 *
 * <p>Each test uses a consumer and orders of its own, and looks only at its own orders, so that the
 * tests can share a broker (and a channel may carry what earlier tests left there).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class WireContract {

  /** Long enough for a broker to assign a consumer group or reconnect. */
  protected static final Duration PATIENCE = Duration.ofSeconds(60);
  /** The types the kit's consumers subscribe to: all on the channel of orders, beside OrderCancelled. */
  private static final Set<String> TYPES = Set.of("OrderPlaced", "OrderConfirmed");

  protected Vertx vertx;
  private Wire wire;
  private RecordingWire recording;
  private WireTransport transport;
  private final List<Subscription> subscriptions = new ArrayList<>();

  /**
   * A wire to a running broker, its {@link Wire#delivery()} with a drain timeout of about a second and
   * an in-flight bound of a few messages (the kit fills it).
   */
  protected abstract Wire newWire(Vertx vertx);

  /** Puts {@code body} on the channel of {@code module} where {@code consumer}'s source reads it, as a foreign client. */
  protected abstract void sendForeign(Wire wire, String consumer, String module, byte[] body);

  /** Takes the broker away (stopped, or its connections cut) and returns once it is away. */
  protected abstract void brokerDown();

  /** Brings the broker back and returns once it answers. */
  protected abstract void brokerUp();

  @BeforeEach
  void startWire() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    wire = newWire(vertx);
    recording = new RecordingWire(wire);
    transport = new WireTransport(vertx, recording);
  }

  @AfterEach
  void closeWire() {
    try {
      subscriptions.forEach(subscription -> Await.result(subscription.close()));
      Await.result(transport.close());
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void each_event_is_delivered_in_order_and_acknowledged_only_once_its_consumer_recorded_it() {
    String consumer = newConsumer();
    Orders orders = new Orders(2);
    Recorder first = new Recorder(orders);
    Promise<Delivery> firstOfA = Promise.promise();
    first.answer(event -> event.id().equals(orders.placed(0).id()) ? firstOfA.future()
        : Future.succeededFuture(Delivery.handled()));
    subscribe(consumer, first);

    publish(orders.placed(0), orders.confirmed(0), orders.placed(1));
    await("the first events of both orders arrive", () -> first.saw(orders.placed(0)) && first.saw(orders.placed(1)));
    pauseBriefly();
    assertThat(first.seen()).as("an order's next event waits until its consumer recorded the one before")
        .doesNotContain(orders.confirmed(0).id());

    firstOfA.complete(Delivery.handled());
    await("the order's next event follows", () -> first.saw(orders.confirmed(0)));
    closeAll();

    Recorder second = new Recorder(orders);
    subscribe(consumer, second);
    EventEnvelope marker = orders.placedOfAnother();
    publish(marker);
    await("a later event arrives", () -> second.saw(marker));
    assertThat(second.seen()).as("what was acknowledged is not delivered again").containsExactly(marker.id());
    // the order of different orders' events is the broker's to choose (partitions, message groups)
    assertThat(first.seen()).containsExactlyInAnyOrder(orders.placed(0).id(), orders.placed(1).id(),
        orders.confirmed(0).id());
    assertThat(first.seenOf(orders.id(0))).containsExactly(orders.placed(0).id(), orders.confirmed(0).id());
  }

  @Test
  void a_message_its_consumer_did_not_finish_before_stopping_is_delivered_again_and_in_order() {
    String consumer = newConsumer();
    Orders orders = new Orders(1);
    Recorder stuck = new Recorder(orders);
    stuck.answer(event -> Promise.<Delivery>promise().future()); // never records anything: a crash before ack
    subscribe(consumer, stuck);
    publish(orders.placed(0), orders.confirmed(0));
    await("the first event arrives", () -> stuck.saw(orders.placed(0)));
    closeAll();

    Recorder next = new Recorder(orders);
    subscribe(consumer, next);
    await("both events are delivered again", () -> next.saw(orders.confirmed(0)));
    assertThat(next.seen()).containsExactly(orders.placed(0).id(), orders.confirmed(0).id());
  }

  @Test
  void a_consumer_that_could_record_nothing_gets_the_same_message_again_in_place() {
    String consumer = newConsumer();
    Orders orders = new Orders(1);
    Recorder flaky = new Recorder(orders);
    AtomicInteger failures = new AtomicInteger();
    flaky.answer(event -> event.id().equals(orders.placed(0).id()) && failures.incrementAndGet() <= 3
        ? Future.failedFuture(new IllegalStateException("the store is down"))
        : Future.succeededFuture(Delivery.handled()));
    subscribe(consumer, flaky);
    publish(orders.placed(0), orders.confirmed(0));
    await("both events are recorded", () -> flaky.saw(orders.confirmed(0)));
    assertThat(flaky.seen()).as("handed over again, in place, before the order's next event")
        .containsExactly(orders.placed(0).id(), orders.placed(0).id(), orders.placed(0).id(), orders.placed(0).id(),
            orders.confirmed(0).id());
  }

  @Test
  void events_of_one_order_keep_their_order_under_back_pressure() {
    String consumer = newConsumer();
    Orders orders = new Orders(8);
    Recorder slow = new Recorder(orders);
    AtomicInteger inHand = new AtomicInteger();
    AtomicInteger mostInHand = new AtomicInteger();
    slow.answer(event -> {
      mostInHand.accumulateAndGet(inHand.incrementAndGet(), Math::max);
      Promise<Delivery> done = Promise.promise();
      vertx.setTimer(ThreadLocalRandom.current().nextInt(1, 8), id -> {
        inHand.decrementAndGet();
        done.complete(Delivery.handled());
      });
      return done.future();
    });
    subscribe(consumer, slow);

    List<EventEnvelope> published = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      List<EventEnvelope> batch = new ArrayList<>();
      for (int order = 0; order < orders.count(); order++) {
        batch.add(round == 0 ? orders.placed(order) : orders.confirmedAgain(order, round));
      }
      publish(batch.toArray(EventEnvelope[]::new));
      published.addAll(batch);
    }
    await("every event arrives", () -> published.stream().allMatch(slow::saw));
    for (int order = 0; order < orders.count(); order++) {
      String subject = orders.id(order);
      assertThat(slow.seenOf(subject)).as("the events of " + subject + ", in order, once each")
          .containsExactlyElementsOf(published.stream().filter(event -> event.subject().equals(subject))
              .map(EventEnvelope::id).toList());
    }
    assertThat(mostInHand.get()).as("never more in hand than the wire's in-flight bound")
        .isLessThanOrEqualTo(wire.delivery().inFlight());
  }

  @Test
  void a_message_that_is_not_a_cloud_event_is_dead_lettered_as_text_and_holds_up_nothing() {
    String consumer = newConsumer();
    Orders orders = new Orders(1);
    Recorder recorder = new Recorder(orders);
    subscribe(consumer, recorder);
    sendForeign(wire, consumer, "orders", "not json at all".getBytes(StandardCharsets.UTF_8));
    publish(orders.placed(0));
    await("the unreadable message is dead-lettered and the event delivered",
        () -> recorder.unreadable().contains("not json at all") && recorder.saw(orders.placed(0)));
  }

  @Test
  void a_dead_letter_is_copied_to_the_broker_and_its_message_acknowledged() {
    String consumer = newConsumer();
    Orders orders = new Orders(1);
    Recorder refusing = new Recorder(orders);
    refusing.answer(event -> Future.succeededFuture(Delivery.deadLettered(new DeadLetter(UUID.randomUUID().toString(),
        consumer, event.id(), 0, "the kit refuses it", 1, event.toJson(), "2026-12-06T00:00:00Z"))));
    subscribe(consumer, refusing);
    publish(orders.placed(0));
    await("its dead letter is on the broker", () -> recording.deadLettersSentFor(consumer) == 1);
    closeAll();

    Recorder next = new Recorder(orders);
    subscribe(consumer, next);
    EventEnvelope marker = orders.placedOfAnother();
    publish(marker);
    await("a later event arrives", () -> next.saw(marker));
    assertThat(next.seen()).as("the dead-lettered message is not delivered again").containsExactly(marker.id());
  }

  @Test
  void lag_counts_what_waits_for_the_consumer_and_falls_to_nothing_once_it_is_handled() {
    String consumer = newConsumer();
    Orders orders = new Orders(4 * wire.delivery().inFlight());
    Recorder held = new Recorder(orders);
    List<Promise<Delivery>> pending = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean holding = new java.util.concurrent.atomic.AtomicBoolean(true);
    held.answer(event -> {
      if (!holding.get()) {
        return Future.succeededFuture(Delivery.handled());
      }
      Promise<Delivery> promise = Promise.promise();
      pending.add(promise);
      return promise.future();
    });
    subscribe(consumer, held);
    List<EventEnvelope> all = new ArrayList<>();
    for (int order = 0; order < orders.count(); order++) {
      all.add(orders.placed(order));
    }
    publish(all.toArray(EventEnvelope[]::new));
    await("lag is reported while messages wait", () -> lagOf(consumer) > 0);

    holding.set(false);
    List.copyOf(pending).forEach(promise -> promise.complete(Delivery.handled()));
    await("every event is handled", () -> all.stream().allMatch(held::saw));
    await("lag falls to nothing", () -> lagOf(consumer) == 0);
  }

  @Test
  void a_consumer_goes_on_receiving_after_a_broker_outage() {
    String consumer = newConsumer();
    Orders orders = new Orders(2);
    Recorder recorder = new Recorder(orders);
    subscribe(consumer, recorder);
    publish(orders.placed(0));
    await("an event arrives before the outage", () -> recorder.saw(orders.placed(0)));

    brokerDown();
    assertThat(Await.failure(transport.ping())).as("readiness fails while the broker is away").isNotNull();
    brokerUp();

    await("the broker answers again", () -> transport.ping().toCompletionStage().toCompletableFuture()
        .handle((ok, failure) -> failure == null).join());
    await("an event published after the outage arrives", () -> {
      if (!recorder.saw(orders.placed(1))) {
        publishQuietly(orders.placed(1));
        pauseBriefly();
      }
      return recorder.saw(orders.placed(1));
    });
  }

  // ------------------------------------------------------------------ helpers

  private String newConsumer() {
    return "kit-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private void subscribe(String consumer, Inbound inbound) {
    subscriptions.add(Await.result(transport.subscribe(consumer, TYPES, inbound)));
  }

  private void closeAll() {
    subscriptions.forEach(subscription -> Await.result(subscription.close()));
    subscriptions.clear();
  }

  private void publish(EventEnvelope... events) {
    Await.result(transport.publish(List.of(events).stream().map(event -> new StoredEvent(0, event)).toList()));
  }

  private void publishQuietly(EventEnvelope event) {
    try {
      Await.result(transport.publish(List.of(new StoredEvent(0, event))));
    } catch (AssertionError stillAway) {
      // the next round tries again
    }
  }

  private long lagOf(String consumer) {
    try {
      Map<String, Long> lag = Await.result(transport.consumerLag());
      return lag.getOrDefault(consumer, -1L);
    } catch (AssertionError notNow) {
      return -1;
    }
  }

  private static void pauseBriefly() {
    try {
      Thread.sleep(300);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting, after " + PATIENCE + ", until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }

  /** Orders of one test, and their events, made once so that what was published can be compared with what came. */
  private static final class Orders {
    private final List<String> ids = new ArrayList<>();
    private final Map<String, EventEnvelope> made = new ConcurrentHashMap<>();

    Orders(int count) {
      for (int i = 0; i < count; i++) {
        ids.add(TestEvents.newOrderId());
      }
    }

    int count() {
      return ids.size();
    }

    String id(int order) {
      return ids.get(order);
    }

    EventEnvelope placed(int order) {
      return made.computeIfAbsent("placed-" + order, key -> TestEvents.orderPlaced(id(order)));
    }

    EventEnvelope confirmed(int order) {
      return confirmedAgain(order, 1);
    }

    EventEnvelope confirmedAgain(int order, int round) {
      return made.computeIfAbsent("confirmed-" + order + "-" + round, key -> TestEvents.orderConfirmed(id(order)));
    }

    /** An event of an order of this test that is none of the numbered ones. */
    EventEnvelope placedOfAnother() {
      String other = TestEvents.newOrderId();
      ids.add(other);
      return placed(ids.size() - 1);
    }

    boolean owns(String subject) {
      return ids.contains(subject);
    }
  }

  /** The kit's consumer: records what it is handed of its test's orders, and answers as the test says. */
  private static final class Recorder implements Inbound {
    private final Orders orders;
    private final List<EventEnvelope> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<String> unreadable = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<EventEnvelope, Future<Delivery>> answer =
        event -> Future.succeededFuture(Delivery.handled());

    Recorder(Orders orders) {
      this.orders = orders;
    }

    void answer(Function<EventEnvelope, Future<Delivery>> answer) {
      this.answer = answer;
    }

    @Override
    public Future<Delivery> deliver(StoredEvent event) {
      if (!orders.owns(event.envelope().subject())) {
        return Future.succeededFuture(Delivery.handled()); // left on the channel by another test
      }
      seen.add(event.envelope());
      return answer.apply(event.envelope());
    }

    @Override
    public Future<Delivery> unreadable(String payload, String reason) {
      unreadable.add(payload);
      return Future.succeededFuture(Delivery.handled());
    }

    boolean saw(EventEnvelope event) {
      synchronized (seen) {
        return seen.stream().anyMatch(each -> each.id().equals(event.id()));
      }
    }

    List<String> seen() {
      synchronized (seen) {
        return seen.stream().map(EventEnvelope::id).toList();
      }
    }

    List<String> seenOf(String subject) {
      synchronized (seen) {
        return seen.stream().filter(event -> event.subject().equals(subject)).map(EventEnvelope::id).toList();
      }
    }

    List<String> unreadable() {
      synchronized (unreadable) {
        return List.copyOf(unreadable);
      }
    }
  }
}
