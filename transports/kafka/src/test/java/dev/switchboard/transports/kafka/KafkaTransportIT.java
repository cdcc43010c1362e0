package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.invalidOrderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.orderPlacedV1;
import static dev.switchboard.runtime.testing.TestEvents.stockReserved;
import static org.assertj.core.api.Assertions.assertThat;

/** Publishing and consuming over a real broker, with the real consumer runner and store. */
class KafkaTransportIT extends KafkaTransportTestBase {

  @Test
  void every_event_of_an_order_is_on_the_events_topic_in_its_order_on_one_partition_as_a_cloud_event_that_a_plain_consumer_reads() {
    String order = newOrderId();
    List<StoredEvent> events = new ArrayList<>(commitNew(orderPlaced(order)));
    events.addAll(commitNew(stockReserved(order)));
    events.addAll(commitMore(orderConfirmed(order)));

    publish(events);

    List<ConsumerRecord<String, String>> read = ofKey(order, foreign.readUntil(Topics.EVENTS,
        records -> ofKey(order, records).size() >= 3));
    assertThat(read).extracting(record -> EventEnvelope.fromJson(new JsonObject(record.value())))
        .as("orders' and inventory's events of one order, in the order they were published")
        .containsExactly(events.get(0).envelope(), events.get(1).envelope(), events.get(2).envelope());
    assertThat(read).extracting(ConsumerRecord::partition).as("one order, one partition")
        .containsOnly(read.get(0).partition());
    assertThat(foreign.describe(Topics.EVENTS).partitions()).hasSize(settings().partitions());
    assertThat(foreign.topicConfig(Topics.EVENTS, "retention.ms"))
        .isEqualTo(String.valueOf(settings().retentionMillis()));
  }

  @Test
  void a_subscribed_consumer_handles_the_published_events_of_its_types_and_passes_over_the_others() {
    Recorder recorder = new Recorder(unique("placed-only"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    String order = newOrderId();
    List<StoredEvent> placed = commitNew(orderPlaced(order));
    List<StoredEvent> confirmed = commitMore(orderConfirmed(order));

    publish(placed);
    publish(confirmed);

    Eventually.until("the placed event is applied", () -> recorder.applied(store, placed.get(0).id()));
    Eventually.until("the consumer has committed its offsets past the confirmation it does not handle",
        () -> committedEverything(Topics.groupOf(recorder.name), Topics.EVENTS));
    assertThat(recorder.typesSeenOf(order)).containsExactly("OrderPlaced");
    assertThat(deadLettersOf(recorder.name)).extracting(DeadLetter::eventId).as("the skipped event is no dead letter")
        .doesNotContain(confirmed.get(0).id());
  }

  @Test
  void a_foreign_producers_cloud_event_is_consumed_like_one_of_ours() {
    Recorder recorder = new Recorder(unique("partner-orders"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    String order = newOrderId();
    // a foreign client with the right to write orders' topic writes as the orders module does
    JsonObject partnerEvent = orderPlaced(order).toJson();
    partnerEvent.remove("sequence");
    partnerEvent.remove("dataschema");
    partnerEvent.remove("correlationid");

    foreign.produce(List.of(new ProducerRecord<>(Topics.EVENTS, order, partnerEvent.encode())));

    Eventually.until("the partner's event is applied", () -> recorder.applied(store, partnerEvent.getString("id")));
    assertThat(recorder.typesSeenOf(order)).containsExactly("OrderPlaced");
  }

  @Test
  void an_event_an_older_node_wrote_in_an_earlier_version_is_consumed_as_the_newest() {
    Recorder recorder = new Recorder(unique("rolling-upgrade"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    String order = newOrderId();
    JsonObject fromAnOlderNode = orderPlacedV1(order).toJson(); // OrderPlaced v1: no currency

    foreign.produce(List.of(new ProducerRecord<>(Topics.EVENTS, order, fromAnOlderNode.encode())));

    Eventually.until("the older node's event is applied", () -> recorder.applied(store, fromAnOlderNode.getString("id")));
    assertThat(deadLettersOf(recorder.name)).extracting(DeadLetter::eventId)
        .doesNotContain(fromAnOlderNode.getString("id"));
  }

  @Test
  void a_cloud_event_whose_source_is_not_its_types_producer_is_dead_lettered_not_handled() {
    Recorder recorder = new Recorder(unique("partner-orders"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    String order = newOrderId();
    JsonObject stranger = orderPlaced(order).toJson().put("source", "/partner-shop");

    foreign.produce(List.of(new ProducerRecord<>(Topics.EVENTS, order, stranger.encode())));

    // the topic is shared by this class's tests: a consumer reads what the others wrote too
    Eventually.until("the stranger's event is dead-lettered", () -> deadLettersOf(recorder.name).stream()
        .anyMatch(letter -> letter.eventId().equals(stranger.getString("id"))));
    assertThat(deadLettersOf(recorder.name)).filteredOn(letter -> letter.eventId().equals(stranger.getString("id")))
        .singleElement().satisfies(letter -> assertThat(letter.reason()).contains("refused").contains("/partner-shop"));
    assertThat(recorder.typesSeenOf(order)).isEmpty();
  }

  @Test
  void records_that_cannot_be_handled_are_dead_lettered_in_the_store_and_on_the_dlq_topic_and_the_record_behind_them_is_handled() {
    Recorder recorder = new Recorder(unique("poison-taster"));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    String order = newOrderId();
    String notJson = "not json at all " + UUID.randomUUID();
    JsonObject unknownType = orderPlaced(order).toJson().put("type", "OrderTeleported");
    JsonObject breaksSchema = invalidOrderPlaced(order).toJson();
    EventEnvelope valid = orderPlaced(order);

    // one key: one partition, in this order
    foreign.produce(List.of(
        new ProducerRecord<>(Topics.EVENTS, order, notJson),
        new ProducerRecord<>(Topics.EVENTS, order, unknownType.encode()),
        new ProducerRecord<>(Topics.EVENTS, order, breaksSchema.encode()),
        new ProducerRecord<>(Topics.EVENTS, order, valid.toJson().encode())));

    Eventually.until("the valid record behind the poison is applied", () -> recorder.applied(store, valid.id()));
    // the topic is shared by this class's tests: only the letters of what this test wrote count
    java.util.function.Predicate<DeadLetter> ours = letter -> notJson.equals(letter.event().getString("raw"))
        || letter.eventId().equals(unknownType.getString("id")) || letter.eventId().equals(breaksSchema.getString("id"));
    Eventually.until("three dead letters are stored", () -> deadLettersOf(recorder.name).stream().filter(ours).count() == 3);
    List<DeadLetter> letters = deadLettersOf(recorder.name).stream().filter(ours).toList();
    assertThat(letters).anySatisfy(letter -> {
      assertThat(letter.reason()).contains("not a CloudEvent");
      assertThat(letter.event().getString("raw")).isEqualTo(notJson);
    });
    assertThat(letters).anySatisfy(letter -> {
      assertThat(letter.eventId()).isEqualTo(unknownType.getString("id"));
      assertThat(letter.reason()).contains("OrderTeleported");
    });
    assertThat(letters).anySatisfy(letter -> assertThat(letter.eventId()).isEqualTo(breaksSchema.getString("id")));

    List<String> letterIds = letters.stream().map(DeadLetter::id).toList();
    List<ConsumerRecord<String, String>> copies = foreign.readUntil(Topics.deadLettersOf(recorder.name),
        read -> read.stream().filter(record -> letterIds.contains(new JsonObject(record.value()).getString("id"))).count() >= 3)
        .stream().filter(record -> letterIds.contains(new JsonObject(record.value()).getString("id"))).toList();
    assertThat(copies).extracting(record -> new JsonObject(record.value()).getString("id"))
        .containsExactlyInAnyOrderElementsOf(letters.stream().map(DeadLetter::id).toList());
    String unreadableLetter = letters.stream().filter(l -> l.event().containsKey("raw")).findFirst().orElseThrow().id();
    assertThat(copies).allSatisfy(record -> {
      String id = new JsonObject(record.value()).getString("id");
      assertThat(record.key()).as("the key of letter %s", id).isEqualTo(id.equals(unreadableLetter) ? id : order);
    });
  }

  @Test
  void the_events_of_each_order_of_every_module_are_handled_in_their_order_while_many_orders_are_published_at_once() {
    Recorder recorder = new Recorder(unique("sequencer")).before(event ->
        vertx.timer(ThreadLocalRandom.current().nextInt(1, 6), TimeUnit.MILLISECONDS));
    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED, EventCatalog.STOCK_RESERVED,
        EventCatalog.ORDER_CONFIRMED, EventCatalog.ORDER_CANCELLED));
    List<List<StoredEvent>> orders = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String order = newOrderId();
      List<StoredEvent> events = new ArrayList<>(commitNew(orderPlaced(order)));
      events.addAll(commitNew(stockReserved(order))); // inventory's: once on a topic of its own, overtaking
      events.addAll(commitMore(orderConfirmed(order)));
      events.addAll(commitMore(orderCancelled(order, "changed my mind")));
      orders.add(events);
    }

    // each order's events one publish after the other, as the outbox relays them; the orders side by side
    Await.onContext(context, () -> Future.all(orders.stream().map(this::publishOneByOne).toList()));

    List<StoredEvent> all = orders.stream().flatMap(List::stream).toList();
    Eventually.until("every event is applied", () -> all.stream().allMatch(e -> recorder.applied(store, e.id())));
    for (List<StoredEvent> order : orders) {
      assertThat(recorder.typesSeenOf(order.get(0).envelope().subject()))
          .containsExactly("OrderPlaced", "StockReserved", "OrderConfirmed", "OrderCancelled");
    }
    assertThat(deadLettersOf(recorder.name)).extracting(DeadLetter::eventId).as("no event arrived out of order")
        .doesNotContainAnyElementsOf(ids(all));
  }

  // ------------------------------------------------------------------ helpers

  private Future<Void> publishOneByOne(List<StoredEvent> events) {
    Future<Void> chain = Future.succeededFuture();
    for (StoredEvent event : events) {
      chain = chain.compose(v -> transport.publish(List.of(event)));
    }
    return chain;
  }

  private List<DeadLetter> deadLettersOf(String consumer) {
    return result(store.deadLetters(1_000)).stream().filter(letter -> letter.consumer().equals(consumer)).toList();
  }

  private static List<ConsumerRecord<String, String>> ofKey(String key, List<ConsumerRecord<String, String>> records) {
    return records.stream().filter(record -> key.equals(record.key())).toList();
  }
}
