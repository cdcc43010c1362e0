package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.transport.delivery.Incoming;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.Outgoing;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/** How the runtime's outgoing messages become AMQP messages, and what an AMQP message is to the runtime. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MessagesTest {

  private static final Set<String> PLACED_ONLY = Set.of("OrderPlaced");
  private static final Incoming.Wording WORDING = new Incoming.Wording("message", "body");

  @Test
  void an_event_is_a_persistent_cloud_event_message_with_its_id_and_cloud_events_headers() {
    EventEnvelope placed = orderPlaced(newOrderId());

    OutgoingMessage message = OutgoingMessage.of(Outgoing.event(placed));

    assertThat(message.exchange()).isEqualTo("switchboard.events");
    assertThat(message.routingKey()).isEqualTo("orders.OrderPlaced");
    assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
    assertThat(message.properties().getContentType()).isEqualTo("application/cloudevents+json; charset=UTF-8");
    assertThat(message.properties().getMessageId()).isEqualTo(placed.id());
    assertThat(message.properties().getCorrelationId()).isNotNull().isEqualTo(placed.correlationid());
    assertThat(message.properties().getType()).isEqualTo("OrderPlaced");
    assertThat(message.properties().getTimestamp()).isEqualTo(Date.from(Instant.parse(placed.time())));
    assertThat(message.properties().getHeaders()).containsEntry("ce_type", "OrderPlaced")
        .containsEntry("ce_id", placed.id()).containsEntry("ce_source", "/orders")
        .containsEntry("ce_subject", placed.subject()).containsEntry("ce_correlationid", placed.correlationid())
        .doesNotContainKey("content-type");
    assertThat(EventEnvelope.fromJson(message.body().toJsonObject())).isEqualTo(placed);
  }

  @Test
  void the_events_trace_travels_as_a_w3c_traceparent_header_and_an_untraced_event_has_none() {
    EventEnvelope placed = orderPlaced(newOrderId());

    assertThat(placed.traceparent()).isNotNull();
    assertThat(OutgoingMessage.of(Outgoing.event(placed)).properties().getHeaders())
        .containsEntry("traceparent", placed.traceparent());
    assertThat(OutgoingMessage.of(Outgoing.event(placed.withTrace(null))).properties().getHeaders())
        .doesNotContainKey("traceparent");
  }

  @Test
  void an_event_of_a_type_the_catalog_does_not_know_is_routed_by_its_source() {
    EventEnvelope known = orderPlaced(newOrderId());
    EventEnvelope foreign = new EventEnvelope(known.id(), "OrderExploded", "/orders", known.subject(), known.time(),
        null, 1, 0, null, null, known.data());

    assertThat(OutgoingMessage.of(Outgoing.event(foreign)).routingKey()).isEqualTo("orders.OrderExploded");
  }

  @Test
  void a_dead_letter_goes_straight_to_its_consumers_dead_letter_queue() {
    DeadLetter letter = new DeadLetter("letter-1", "inventory", "event-1", 0, "why", 1, new JsonObject(),
        "2030-01-02T03:04:05Z");

    OutgoingMessage message = OutgoingMessage.of(Outgoing.deadLetter(letter));

    assertThat(message.exchange()).isEmpty();
    assertThat(message.routingKey()).isEqualTo("switchboard.inventory.dlq");
    assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
    assertThat(message.properties().getMessageId()).isEqualTo("letter-1");
    assertThat(message.properties().getType()).isEqualTo("DeadLetter");
    assertThat(message.properties().getContentType()).isEqualTo("application/json; charset=UTF-8");
    assertThat(message.body().toJsonObject()).isEqualTo(letter.toJson());
  }

  @Test
  void a_message_without_a_body_is_unreadable_in_amqps_words() {
    Arrival empty = arrival("orders.OrderPlaced", new byte[0]);

    assertThat(empty.body()).isNull();
    assertThat(Incoming.classify(empty.body(), empty.channelModule(), empty.typeHeader(), PLACED_ONLY, WORDING))
        .isEqualTo(new Incoming.Unreadable("", "the message has no body"));
  }

  @Test
  void the_channel_of_a_message_is_the_module_of_its_routing_key_so_an_event_on_another_modules_is_refused() {
    EventEnvelope placed = orderPlaced(newOrderId());
    Arrival onPayments = arrival("payments.OrderPlaced", placed.toJson().encode().getBytes(StandardCharsets.UTF_8));
    Arrival onOrders = arrival("orders.OrderPlaced", placed.toJson().encode().getBytes(StandardCharsets.UTF_8));

    assertThat(onPayments.channelModule()).isEqualTo("payments");
    assertThat(Incoming.classify(onPayments.body(), onPayments.channelModule(), onPayments.typeHeader(), PLACED_ONLY,
        WORDING))
        .isInstanceOfSatisfying(Incoming.Refuse.class,
            refused -> assertThat(refused.reason()).contains("came on the channel of payments"));
    assertThat(Incoming.classify(onOrders.body(), onOrders.channelModule(), onOrders.typeHeader(), PLACED_ONLY,
        WORDING))
        .isInstanceOf(Incoming.Deliver.class);
  }

  @Test
  void the_type_of_a_message_is_the_type_of_its_routing_key_so_one_for_other_consumers_is_passed_over_unread() {
    Arrival confirmed = arrival("orders.OrderConfirmed", "not even JSON".getBytes(StandardCharsets.UTF_8));
    Arrival direct = arrival("switchboard.inventory", "not even JSON".getBytes(StandardCharsets.UTF_8));

    assertThat(confirmed.typeHeader()).isEqualTo("OrderConfirmed");
    assertThat(Incoming.classify(confirmed.body(), confirmed.channelModule(), confirmed.typeHeader(), PLACED_ONLY,
        WORDING)).isEqualTo(new Incoming.Skip("OrderConfirmed"));
    assertThat(direct.typeHeader()).as("sent to the queue by its name: no type of the catalog").isEqualTo("inventory");
    assertThat(Incoming.classify(direct.body(), direct.channelModule(), direct.typeHeader(), PLACED_ONLY, WORDING))
        .isInstanceOf(Incoming.Unreadable.class);
  }

  /** What a message says, off any connection (settling it is for the ITs). */
  private static Arrival arrival(String routingKey, byte[] body) {
    return new RabbitArrival(null, null, 1, routingKey, body, "switchboard.inventory");
  }
}
