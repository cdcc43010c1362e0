package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.delivery.WireTransport;
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.invalidOrderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/** Consuming a queue: foreign events, poison messages, order per subject, failures to record, back-pressure. */
class RabbitMqConsumingIT extends RabbitMqTransportTestBase {

  @Test
  void a_foreign_publishers_cloud_event_is_consumed_like_ours() {
    Recorder recorder = new Recorder(unique("foreign"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    EventEnvelope placed = orderPlaced(newOrderId());

    broker.publishEvent(placed);

    Await.until("the foreign event is handled", () -> recorder.applied(store, placed.id()));
    assertThat(recorder.effectRevision(store, placed.id())).contains(1L);
    Await.until("its queue is empty", () -> broker.isConsumed(recorder.name));
  }

  @Test
  void poison_messages_end_as_dead_letters_in_the_store_and_the_dead_letter_queue_and_what_follows_is_handled() {
    Recorder recorder = new Recorder(unique("poisoned"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    String orderId = newOrderId();
    EventEnvelope valid = orderPlaced(orderId);
    JsonObject unknownType = orderPlaced(orderId).toJson().put("type", "OrderExploded");

    broker.publish("orders.Garbage", "this is not JSON {");
    broker.publish("orders.OrderExploded", unknownType.encode());
    broker.publish("orders.OrderPlaced", invalidOrderPlaced(orderId).toJson().encode());
    broker.publish("orders.OrderPlaced", valid.toJson().encode());

    Await.until("the valid event behind the poison is handled", () -> recorder.applied(store, valid.id()));
    Await.until("three dead letters are in the store", () -> result(store.deadLetters(10)).size() == 3);
    List<DeadLetter> letters = result(store.deadLetters(10));
    assertThat(letters).extracting(DeadLetter::consumer).containsOnly(recorder.name);
    assertThat(letters).extracting(DeadLetter::reason).anySatisfy(reason -> assertThat(reason).contains("not a CloudEvent"))
        .anySatisfy(reason -> assertThat(reason).contains("OrderExploded"))
        .anySatisfy(reason -> assertThat(reason).contains("OrderPlaced v" + EventCatalog.ORDER_PLACED.version() + " is invalid"));
    String deadLetterQueue = Names.deadLetterQueueOf(recorder.name);
    Await.until("three copies are in the dead-letter queue", () -> broker.ready(deadLetterQueue) == 3);
    List<RabbitMqBroker.Message> copies = broker.peek(deadLetterQueue);
    assertThat(copies).allSatisfy(copy -> assertThat(copy.properties().getDeliveryMode()).isEqualTo(2));
    assertThat(copies).extracting(copy -> new JsonObject(copy.body()).getString("id"))
        .containsExactlyInAnyOrderElementsOf(letters.stream().map(DeadLetter::id).toList());
    Await.until("the consumer's queue is empty", () -> broker.depth(Names.queueOf(recorder.name)).total() == 0);
  }

  @Test
  void a_known_type_the_consumer_does_not_handle_is_acknowledged_and_skipped() {
    Recorder recorder = new Recorder(unique("picky"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    String orderId = newOrderId();
    List<StoredEvent> events = commitNew(orderConfirmed(orderId), orderCancelled(orderId, "changed my mind"));

    publish(events);

    Await.until("its queue is empty", () -> broker.depth(Names.queueOf(recorder.name)).total() == 0);
    assertThat(recorder.idsSeen()).isEmpty();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void the_events_of_each_order_are_handled_in_order_while_many_orders_are_published_at_once() {
    Recorder recorder = new Recorder(unique("orderly")).before(event ->
        vertx.timer(ThreadLocalRandom.current().nextLong(1, 6)).mapEmpty());
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED, EventCatalog.ORDER_CONFIRMED,
        EventCatalog.ORDER_CANCELLED));
    List<List<StoredEvent>> orders = IntStream.range(0, 40).mapToObj(i -> {
      String orderId = newOrderId();
      return commitNew(orderPlaced(orderId), orderConfirmed(orderId), orderCancelled(orderId, "returned"));
    }).toList();

    // four publishers at once, each with ten orders, their events interleaved (every order's first
    // event, then every order's second...): each order's events in order, and nothing else
    Await.onContext(context, () -> Future.all(IntStream.range(0, 4)
        .mapToObj(publisher -> transport.publish(interleaved(orders.subList(publisher * 10, publisher * 10 + 10))))
        .toList()));

    Await.until("every event is handled", () -> recorder.idsSeen().size() == 120);
    for (List<StoredEvent> order : orders) {
      assertThat(recorder.idsSeenOf(List.of(order.get(0).envelope().subject()))).isEqualTo(ids(order));
    }
    assertThat(recorder.mostRunning()).as("orders handled side by side").isGreaterThan(1);
    assertThat(result(store.deadLetters(10))).as("no event came out of order (the store refuses those)").isEmpty();
  }

  @Test
  void when_nothing_can_be_recorded_the_same_message_is_handed_over_again_and_the_next_of_its_order_waits() {
    Recorder recorder = new Recorder(unique("patient"));
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED, EventCatalog.ORDER_CONFIRMED);
    OutageInbound inbound = new OutageInbound(runner(consumer));
    subscribe(consumer, inbound);
    String orderId = newOrderId();
    List<StoredEvent> events = commitNew(orderPlaced(orderId), orderConfirmed(orderId));
    inbound.storeDown(true);

    publish(events);

    Await.until("the first event was handed over again and again", () -> inbound.attemptsOf(events.get(0).id()) >= 3);
    assertThat(inbound.attemptsOf(events.get(1).id())).as("the next event of the order waits its turn").isZero();
    assertThat(broker.depth(Names.queueOf(recorder.name)).unacknowledged()).as("neither is acknowledged").isEqualTo(2);

    inbound.storeDown(false);

    Await.until("both are handled", () -> recorder.idsSeen().size() == 2);
    assertThat(recorder.idsSeen()).isEqualTo(ids(events));
    Await.until("the queue is empty", () -> broker.depth(Names.queueOf(recorder.name)).total() == 0);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void closing_while_nothing_can_be_recorded_leaves_the_message_in_the_queue_for_the_next_subscriber() {
    Recorder recorder = new Recorder(unique("handed-on"));
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED);
    OutageInbound inbound = new OutageInbound(runner(consumer));
    Subscription failing = subscribe(consumer, inbound);
    StoredEvent placed = commitNew(orderPlaced(newOrderId())).get(0);
    inbound.storeDown(true);
    publish(List.of(placed));
    Await.until("it was tried", () -> inbound.attemptsOf(placed.id()) >= 2);

    close(failing);

    Await.until("the message is back in the queue", () -> broker.depth(Names.queueOf(recorder.name)).ready() == 1);
    subscribe(consumer);
    Await.until("the next subscriber handles it", () -> recorder.applied(store, placed.id()));
    assertThat(recorder.effectRevision(store, placed.id())).contains(1L);
  }

  @Test
  void with_a_slow_handler_no_more_than_prefetch_messages_are_in_hand_and_the_rest_wait_in_the_broker_as_its_lag() {
    WireTransport bounded = transport(settings().withPrefetch(4));
    Promise<Void> gate = Promise.promise();
    Recorder recorder = new Recorder(unique("slow")).before(event -> gate.future());
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED);
    subscribe(bounded, consumer.name(), consumer.types(), runner(consumer));
    List<StoredEvent> events = new ArrayList<>();
    IntStream.range(0, 20).forEach(i -> events.addAll(commitNew(orderPlaced(newOrderId()))));

    Await.onContext(context, () -> bounded.publish(events));

    // the first is being decided; the three after it wait in hand for the next batch
    Await.until("a handler runs", () -> recorder.running() > 0);
    Await.until("the broker holds the other sixteen", () ->
        broker.depth(Names.queueOf(recorder.name)).equals(new RabbitMqBroker.Depth(16, 4)));
    assertThat(recorder.mostRunning()).isLessThanOrEqualTo(4);
    assertThat(Await.onContext(context, () -> bounded.consumerLag()))
        .as("the lag gauge counts what waits in the broker").containsExactly(Map.entry(recorder.name, 16L));

    gate.complete();

    Await.until("all are handled", () -> events.stream().allMatch(event -> recorder.applied(store, event.id())));
    assertThat(recorder.mostRunning()).as("never more in hand than the prefetch").isLessThanOrEqualTo(4);
    Await.until("the queue is empty", () -> broker.depth(Names.queueOf(recorder.name)).total() == 0);
    assertThat(Await.onContext(context, () -> bounded.consumerLag())).containsExactly(Map.entry(recorder.name, 0L));
  }

  private static List<StoredEvent> interleaved(List<List<StoredEvent>> orders) {
    List<StoredEvent> events = new ArrayList<>();
    for (int step = 0; step < orders.get(0).size(); step++) {
      for (List<StoredEvent> order : orders) {
        events.add(order.get(step));
      }
    }
    return events;
  }
}
