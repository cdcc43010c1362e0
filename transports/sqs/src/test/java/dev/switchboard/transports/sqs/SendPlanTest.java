package dev.switchboard.transports.sqs;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.transport.wire.Outgoing;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out and batching of one send: which queues, which batches, in which order. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SendPlanTest {

  private static final Map<String, Set<String>> SUBSCRIBERS = Map.of(
      "inventory", Set.of("OrderPlaced", "OrderCancelled"),
      "payments", Set.of("OrderPlaced"),
      "notifications", Set.of("OrderConfirmed"));

  @Test
  void an_event_goes_to_the_queue_of_every_consumer_of_its_type_and_no_other() {
    Outgoing placed = Outgoing.event(TestEvents.orderPlaced(TestEvents.newOrderId()));

    Map<SendPlan.Target, List<List<Outgoing>>> plan = SendPlan.plan(List.of(placed), SUBSCRIBERS);

    assertThat(plan.keySet()).containsExactlyInAnyOrder(new SendPlan.Target("inventory", false),
        new SendPlan.Target("payments", false));
    assertThat(plan.values()).allSatisfy(batches -> assertThat(batches).containsExactly(List.of(placed)));
    assertThat(new SendPlan.Target("inventory", false).queueName()).isEqualTo("switchboard-inventory.fifo");
  }

  @Test
  void an_event_nobody_subscribes_to_goes_nowhere() {
    Outgoing shipped = Outgoing.event(TestEvents.orderCancelled(TestEvents.newOrderId(), "gone"));

    assertThat(SendPlan.plan(List.of(shipped), Map.of("payments", Set.of("OrderPlaced")))).isEmpty();
  }

  @Test
  void a_dead_letter_goes_to_its_consumers_dead_letter_queue_whoever_subscribes() {
    EventEnvelope event = TestEvents.orderPlaced(TestEvents.newOrderId());
    Outgoing letter = Outgoing.deadLetter(new DeadLetter("letter-1", "payments", event.id(), 0, "refused", 1,
        event.toJson(), "2026-12-06T00:00:00Z"));

    Map<SendPlan.Target, List<List<Outgoing>>> plan = SendPlan.plan(List.of(letter), Map.of());

    SendPlan.Target target = new SendPlan.Target("payments", true);
    assertThat(plan).containsOnlyKeys(target);
    assertThat(target.queueName()).isEqualTo("switchboard-payments-dlq.fifo");
  }

  @Test
  void each_queue_gets_its_messages_in_the_order_given_in_batches_of_ten() {
    List<Outgoing> messages = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      messages.add(Outgoing.event(TestEvents.orderPlaced(TestEvents.newOrderId())));
    }

    List<List<Outgoing>> batches = SendPlan.plan(messages, Map.of("payments", Set.of("OrderPlaced")))
        .get(new SendPlan.Target("payments", false));

    assertThat(batches).extracting(List::size).containsExactly(10, 10, 3);
    assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(messages);
  }

  @Test
  void a_batch_holds_one_message_of_each_order_so_that_what_sqs_takes_of_an_order_is_a_prefix_of_it() {
    String first = TestEvents.newOrderId();
    String second = TestEvents.newOrderId();
    Outgoing placedA = Outgoing.event(TestEvents.orderPlaced(first));
    Outgoing placedB = Outgoing.event(TestEvents.orderPlaced(second));
    Outgoing placedAgainA = Outgoing.event(TestEvents.orderPlaced(first));
    Outgoing placedC = Outgoing.event(TestEvents.orderPlaced(TestEvents.newOrderId()));

    List<List<Outgoing>> batches = SendPlan.plan(List.of(placedA, placedB, placedAgainA, placedC),
        Map.of("payments", Set.of("OrderPlaced"))).get(new SendPlan.Target("payments", false));

    assertThat(batches).containsExactly(List.of(placedA, placedB), List.of(placedAgainA, placedC));
  }

  @Test
  void a_batch_ends_before_it_would_weigh_more_than_sqs_takes_in_one_call() {
    String bulky = "x".repeat(100_000);
    List<Outgoing> messages = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      EventEnvelope event = TestEvents.orderPlaced(TestEvents.newOrderId());
      JsonObject json = event.toJson();
      json.getJsonObject("data").put("note", bulky);
      messages.add(Outgoing.event(EventEnvelope.fromJson(json)));
    }

    List<List<Outgoing>> batches = SendPlan.plan(messages, Map.of("payments", Set.of("OrderPlaced")))
        .get(new SendPlan.Target("payments", false));

    assertThat(batches).extracting(List::size).containsExactly(2, 2);
    assertThat(batches).allSatisfy(batch -> assertThat(batch.stream().mapToInt(SendPlan::sizeOf).sum())
        .isLessThanOrEqualTo(SendPlan.MAX_BATCH_BYTES));
  }

  @Test
  void an_entry_carries_the_order_id_as_group_the_event_id_as_deduplication_id_and_the_cloud_event_as_body() {
    EventEnvelope event = TestEvents.orderPlaced(TestEvents.newOrderId());

    var entry = SqsSender.entries(List.of(Outgoing.event(event))).get(0);

    assertThat(entry.messageGroupId()).isEqualTo(event.subject());
    assertThat(entry.messageDeduplicationId()).isEqualTo(event.id());
    assertThat(new JsonObject(entry.messageBody())).isEqualTo(event.toJson());
    assertThat(entry.messageAttributes().get("type").stringValue()).isEqualTo("OrderPlaced");
    assertThat(entry.messageAttributes().get("ce_id").stringValue()).isEqualTo(event.id());
  }
}
