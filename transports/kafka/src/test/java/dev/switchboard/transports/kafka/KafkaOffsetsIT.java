package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.delivery.WireTransport;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Committed offsets: a consumer that stops and comes back loses nothing and does nothing twice,
 * whether it stopped cleanly (and so committed what it handled) or died (and so gets some records
 * again, which its inbox recognises).
 */
class KafkaOffsetsIT extends KafkaTransportTestBase {

  /** Periodic commits out of the way: only closing (or nothing, for a crash) commits. */
  private static final JsonObject NO_PERIODIC_COMMITS = new JsonObject().put("commitIntervalMillis", 3_600_000);

  @Test
  void a_closed_consumer_has_committed_what_it_handled_and_when_reopened_gets_only_what_came_since() {
    WireTransport closesOnly = transport(vertx, settings(NO_PERIODIC_COMMITS));
    Recorder recorder = new Recorder(unique("auditor"));
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED);
    RecordingInbound first = new RecordingInbound(runner(consumer));
    Subscription subscription = subscribe(closesOnly, consumer.name(), consumer.types(), first);
    List<StoredEvent> before = placeOrders(10);
    publish(before);
    Eventually.until("the first events are applied", () -> allApplied(recorder, before));

    Await.result(subscription.close());

    assertThat(committedEverything(Topics.groupOf(consumer.name()), Topics.EVENTS))
        .as("closing committed every partition up to its end").isTrue();
    List<StoredEvent> after = placeOrders(10);
    publish(after);
    RecordingInbound second = new RecordingInbound(runner(consumer));
    subscribe(closesOnly, consumer.name(), consumer.types(), second);
    Eventually.until("the later events are applied", () -> allApplied(recorder, after));
    assertThat(second.deliveredOf(ids(before))).as("events handled before the close, delivered again").isEmpty();
    assertEachAppliedOnce(recorder, before);
    assertEachAppliedOnce(recorder, after);
  }

  @Test
  void a_consumer_that_dies_without_committing_gets_its_records_again_and_each_effect_still_happens_once() {
    Vertx doomed = Vertx.vertx();
    WireTransport dying = kafkaTransport(doomed, settings(NO_PERIODIC_COMMITS));
    Recorder recorder = new Recorder(unique("phoenix"));
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED);
    RecordingInbound first = new RecordingInbound(runner(doomed, consumer));
    Await.onContext(doomed.getOrCreateContext(), () -> dying.subscribe(consumer.name(), consumer.types(), first));
    List<StoredEvent> before = placeOrders(10);
    publish(before);
    Eventually.until("the first events are applied", () -> allApplied(recorder, before));

    // the node dies: no drain, no last commit; its Kafka consumer goes with its Vert.x
    Await.result(doomed.close());
    Await.result(dying.close());

    RecordingInbound second = new RecordingInbound(runner(consumer));
    subscribe(consumer, second);
    List<StoredEvent> after = placeOrders(5);
    publish(after);
    Eventually.until("the later events are applied", () -> allApplied(recorder, after));
    Eventually.until("what was handled and not committed is delivered again",
        () -> second.deliveredOf(ids(before)).size() == before.size());
    assertEachAppliedOnce(recorder, before);
    assertEachAppliedOnce(recorder, after);
    List<String> handled = recorder.idsSeenOf(subjects(before));
    assertThat(new HashSet<>(handled)).as("the inbox kept redelivered events from the handler").hasSize(handled.size());
  }

  @Test
  void the_consumer_group_lag_counts_the_records_not_yet_committed_and_falls_to_zero_once_they_are() {
    Recorder recorder = new Recorder(unique("laggard"));
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED);
    Promise<Void> held = Promise.promise();
    // a new group reads the topic from its start: earlier tests' records are its too, and all held
    subscribe(consumer, new RecordingInbound(runner(consumer), event -> held.future()));
    long before = Await.onContext(context, () -> transport.consumerLag()).get(consumer.name());

    List<StoredEvent> events = placeOrders(6);
    publish(events);

    Map<String, Long> lag = Await.onContext(context, () -> transport.consumerLag());
    assertThat(lag.get(consumer.name())).as("what the topic holds, none of it committed")
        .isEqualTo(before + 6)
        .isEqualTo(foreign.endOffsets(Topics.EVENTS).values().stream().mapToLong(Long::longValue).sum());

    context.runOnContext(v -> held.complete());

    Eventually.until("the group has committed everything", () ->
        Await.onContext(context, () -> transport.consumerLag()).get(consumer.name()) == 0L);
  }

  @Test
  void a_transport_with_no_consumer_has_no_lag_to_tell() {
    assertThat(Await.onContext(context, () -> transport.consumerLag())).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  private List<StoredEvent> placeOrders(int count) {
    List<StoredEvent> placed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      placed.addAll(commitNew(orderPlaced(newOrderId())));
    }
    return placed;
  }

  private boolean allApplied(Recorder recorder, List<StoredEvent> events) {
    return events.stream().allMatch(event -> recorder.applied(store, event.id()));
  }

  private void assertEachAppliedOnce(Recorder recorder, List<StoredEvent> events) {
    assertThat(events).allSatisfy(event ->
        assertThat(recorder.effectRevision(store, event.id())).as("the effect of %s", event.id()).contains(1L));
  }

  private static List<String> subjects(List<StoredEvent> events) {
    return events.stream().map(event -> event.envelope().subject()).toList();
  }
}
