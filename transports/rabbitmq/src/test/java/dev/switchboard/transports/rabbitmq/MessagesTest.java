package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.transport.delivery.Incoming;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static dev.switchboard.runtime.testing.TestEvents.invalidOrderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/** How events become messages, and what an incoming message is to a consumer. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MessagesTest {

  private static final Set<String> PLACED_ONLY = Set.of("OrderPlaced");

  @Test
  void an_event_is_a_persistent_json_message_with_its_id_and_cloud_events_headers() {
    EventEnvelope placed = orderPlaced(newOrderId());

    OutgoingMessage message = OutgoingMessage.of(placed);

    assertThat(message.exchange()).isEqualTo("switchboard.events");
    assertThat(message.routingKey()).isEqualTo("orders.OrderPlaced");
    assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
    assertThat(message.properties().getContentType()).isEqualTo("application/json");
    assertThat(message.properties().getMessageId()).isEqualTo(placed.id());
    assertThat(message.properties().getCorrelationId()).isEqualTo(placed.correlationid());
    assertThat(message.properties().getHeaders()).containsEntry("ce_type", "OrderPlaced")
        .containsEntry("ce_source", "/orders").containsEntry("ce_subject", placed.subject());
    assertThat(EventEnvelope.fromJson(message.body().toJsonObject())).isEqualTo(placed);
  }

  @Test
  void the_events_trace_travels_as_a_w3c_traceparent_header_and_an_untraced_event_has_none() {
    EventEnvelope placed = orderPlaced(newOrderId());

    assertThat(placed.traceparent()).isNotNull();
    assertThat(OutgoingMessage.of(placed).properties().getHeaders()).containsEntry("traceparent", placed.traceparent());
    assertThat(OutgoingMessage.of(placed.withTrace(null)).properties().getHeaders()).doesNotContainKey("traceparent");
  }

  @Test
  void a_dead_letter_goes_straight_to_its_consumers_dead_letter_queue() {
    DeadLetter letter = new DeadLetter("letter-1", "inventory", "event-1", 0, "why", 1, new JsonObject(),
        "2030-01-02T03:04:05Z");

    OutgoingMessage message = OutgoingMessage.deadLetter(letter);

    assertThat(message.exchange()).isEmpty();
    assertThat(message.routingKey()).isEqualTo("switchboard.inventory.dlq");
    assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
    assertThat(message.body().toJsonObject()).isEqualTo(letter.toJson());
  }

  @Test
  void a_cloud_event_of_a_subscribed_type_is_delivered_from_position_zero() {
    EventEnvelope placed = orderPlaced(newOrderId());

    Incoming incoming = IncomingMessage.classify(bytes(placed.toJson().encode()), "orders.OrderPlaced", PLACED_ONLY);

    assertThat(incoming).isInstanceOfSatisfying(Incoming.Deliver.class, deliver -> {
      assertThat(deliver.event().position()).isZero();
      assertThat(deliver.event().envelope()).isEqualTo(placed);
    });
  }

  @Test
  void a_known_type_the_consumer_does_not_handle_is_skipped() {
    Incoming incoming = IncomingMessage.classify(bytes(orderConfirmed(newOrderId()).toJson().encode()),
        "orders.OrderConfirmed", PLACED_ONLY);

    assertThat(incoming).isEqualTo(new Incoming.Skip("OrderConfirmed"));
  }

  @Test
  void unknown_types_and_schema_violations_are_delivered_for_the_runner_to_dead_letter() {
    JsonObject unknown = orderPlaced(newOrderId()).toJson().put("type", "OrderExploded");

    assertThat(IncomingMessage.classify(bytes(unknown.encode()), "orders.OrderPlaced", PLACED_ONLY))
        .isInstanceOf(Incoming.Deliver.class);
    assertThat(IncomingMessage.classify(bytes(invalidOrderPlaced(newOrderId()).toJson().encode()), "orders.OrderPlaced", PLACED_ONLY))
        .isInstanceOf(Incoming.Deliver.class);
  }

  @Test
  void what_is_not_a_cloud_event_is_unreadable_with_its_text_and_the_reason() {
    assertThat(IncomingMessage.classify(bytes("not json {"), "orders.OrderPlaced", PLACED_ONLY))
        .isEqualTo(new Incoming.Unreadable("not json {", "the body is not a JSON object"));
    assertThat(IncomingMessage.classify(bytes("[1, 2]"), "orders.OrderPlaced", PLACED_ONLY))
        .isInstanceOf(Incoming.Unreadable.class);
    assertThat(IncomingMessage.classify(new byte[0], "orders.OrderPlaced", PLACED_ONLY))
        .isInstanceOf(Incoming.Unreadable.class);
    assertThat(IncomingMessage.classify(new byte[0], "orders.OrderPlaced", PLACED_ONLY))
        .isEqualTo(new Incoming.Unreadable("", "the message has no body"));
    assertThat(IncomingMessage.classify(bytes("{\"specversion\":\"1.0\",\"id\":\"x\",\"data\":{}}"), "orders.OrderPlaced", PLACED_ONLY))
        .isInstanceOfSatisfying(Incoming.Unreadable.class,
            unreadable -> assertThat(unreadable.reason()).contains("type"));
  }

  @Test
  void an_event_on_another_modules_channel_or_with_another_source_is_refused_with_the_reason() {
    EventEnvelope placed = orderPlaced(newOrderId());
    String forgedSource = placed.toJson().put("source", "/payments").encode();

    assertThat(IncomingMessage.classify(bytes(placed.toJson().encode()), "payments.OrderPlaced", PLACED_ONLY))
        .isInstanceOfSatisfying(Incoming.Refuse.class,
            refused -> assertThat(refused.reason()).contains("came on the channel of payments"));
    assertThat(IncomingMessage.classify(bytes(forgedSource), "orders.OrderPlaced", PLACED_ONLY))
        .isInstanceOfSatisfying(Incoming.Refuse.class,
            refused -> assertThat(refused.reason()).contains("says its source is /payments"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
