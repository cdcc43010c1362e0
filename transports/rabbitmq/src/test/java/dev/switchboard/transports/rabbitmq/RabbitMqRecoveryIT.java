package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.outbox.OutboxRelay;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.transport.Subscription;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing is lost when subscriptions come and go, connections break and the broker restarts: events
 * are committed to the real store and relayed by the real outbox relay, which publishes until the
 * broker confirms; every effect happens once.
 */
class RabbitMqRecoveryIT extends RabbitMqTransportTestBase {

  private OutboxRelay relay;

  @AfterEach
  void stopTheRelay() {
    if (relay != null) {
      Await.onContext(context, () -> relay.stop());
    }
  }

  @Test
  void closing_and_subscribing_again_while_events_flow_loses_nothing_and_applies_each_once() {
    Recorder recorder = new Recorder(unique("comes-and-goes")).before(event ->
        vertx.timer(ThreadLocalRandom.current().nextLong(1, 4)).mapEmpty());
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED, EventCatalog.ORDER_CONFIRMED,
        EventCatalog.ORDER_CANCELLED);
    Subscription subscription = subscribe(consumer);
    startRelay();
    List<List<StoredEvent>> orders = new ArrayList<>();

    for (int round = 0; round < 4; round++) {
      IntStream.range(0, 15).forEach(i -> orders.add(commitOrder()));
      Await.until("some of this round's events are handled", () -> !recorder.idsSeen().isEmpty());
      close(subscription);
      IntStream.range(0, 5).forEach(i -> orders.add(commitOrder()));
      subscription = subscribe(consumer);
    }

    assertEveryEventAppliedOnceInOrder(recorder, orders);
  }

  @Test
  void an_abrupt_loss_of_both_connections_loses_nothing_and_consuming_resumes_by_itself() {
    Recorder recorder = new Recorder(unique("cut-off"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED, EventCatalog.ORDER_CONFIRMED,
        EventCatalog.ORDER_CANCELLED));
    startRelay();
    List<List<StoredEvent>> orders = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> orders.add(commitOrder()));

    broker.closeConnections();
    IntStream.range(0, 20).forEach(i -> orders.add(commitOrder()));

    assertEveryEventAppliedOnceInOrder(recorder, orders);
    awaitReady(transport);
  }

  @Test
  void a_deleted_queue_is_declared_again_and_consumed_again() {
    Recorder recorder = new Recorder(unique("deleted"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    StoredEvent before = commitNew(orderPlaced(newOrderId())).get(0);
    publish(List.of(before));
    Await.until("the first event is handled", () -> recorder.applied(store, before.id()));

    broker.deleteQueue(Names.queueOf(recorder.name));

    Await.until("the queue is there again", () -> broker.queueExists(Names.queueOf(recorder.name)));
    awaitReady(transport);
    StoredEvent after = commitNew(orderPlaced(newOrderId())).get(0);
    publish(List.of(after));
    Await.until("an event published after is handled", () -> recorder.applied(store, after.id()));
  }

  @Test
  void a_broker_restart_while_publishing_loses_nothing_and_readiness_follows_the_broker() {
    Recorder recorder = new Recorder(unique("restarted"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED, EventCatalog.ORDER_CONFIRMED,
        EventCatalog.ORDER_CANCELLED));
    startRelay();
    List<List<StoredEvent>> orders = new ArrayList<>();
    IntStream.range(0, 10).forEach(i -> orders.add(commitOrder()));
    Await.until("the first events are handled", () -> !recorder.idsSeen().isEmpty());

    broker.whileStopped(() -> {
      assertThat(Await.failure(transport.ping())).isInstanceOf(BrokerUnavailable.class);
      assertThat(Await.failure(transport.consumerLag())).as("the lag gauges are told the broker is gone")
          .isInstanceOf(BrokerUnavailable.class);
      IntStream.range(0, 10).forEach(i -> orders.add(commitOrder()));
      StoredEvent last = orders.get(orders.size() - 1).get(2);
      assertThat(Await.failure(Await.on(context, () -> transport.publish(List.of(last)))))
          .isInstanceOf(BrokerUnavailable.class);
      assertThat(result(relay.backlog()).events()).as("the relay keeps what was not confirmed").isPositive();
    });

    awaitReady(transport);
    IntStream.range(0, 10).forEach(i -> orders.add(commitOrder()));
    assertEveryEventAppliedOnceInOrder(recorder, orders);
    Await.until("the relay's backlog is empty", () -> result(relay.backlog()).events() == 0);
  }

  // ------------------------------------------------------------------ helpers

  /** An order of three events, committed (the relay publishes them). */
  private List<StoredEvent> commitOrder() {
    String orderId = newOrderId();
    return commitNew(orderPlaced(orderId), orderConfirmed(orderId), orderCancelled(orderId, "returned"));
  }

  private void startRelay() {
    relay = new OutboxRelay(vertx, store, transport, new OutboxRelay.Settings(50, 100, 5_000));
    Await.onContext(context, () -> {
      relay.start();
      return Future.succeededFuture();
    });
  }

  private void assertEveryEventAppliedOnceInOrder(Recorder recorder, List<List<StoredEvent>> orders) {
    List<StoredEvent> all = orders.stream().flatMap(List::stream).toList();
    Await.until("every event's effect is committed", () -> all.stream().allMatch(e -> recorder.applied(store, e.id())));
    assertThat(all).allSatisfy(event -> assertThat(recorder.effectRevision(store, event.id())).contains(1L));
    for (List<StoredEvent> order : orders) {
      List<String> seen = new ArrayList<>(recorder.idsSeenOf(List.of(order.get(0).envelope().subject())));
      // a redelivered event may be seen again, after the ones before it; never before
      assertThat(firstOccurrences(seen)).isEqualTo(ids(order));
    }
    assertThat(result(store.deadLetters(10))).isEmpty();
    Await.until("the queue is empty", () -> broker.depth(Names.queueOf(recorder.name)).total() == 0);
  }

  private static List<String> firstOccurrences(List<String> ids) {
    List<String> first = new ArrayList<>();
    ids.forEach(id -> {
      if (!first.contains(id)) {
        first.add(id);
      }
    });
    return Collections.unmodifiableList(first);
  }
}
