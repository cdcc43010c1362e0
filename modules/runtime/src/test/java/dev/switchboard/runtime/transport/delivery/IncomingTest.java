package dev.switchboard.runtime.transport.delivery;

import dev.switchboard.contracts.EventEnvelope;
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

/** What a message off any broker is to a consumer, from its body and the channel it came on. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IncomingTest {

  private static final Set<String> PLACED_ONLY = Set.of("OrderPlaced");
  private static final Incoming.Wording WORDS = new Incoming.Wording("record", "value");

  @Test
  void a_cloud_event_of_a_subscribed_type_is_delivered_as_it_came_with_no_log_position() {
    EventEnvelope placed = orderPlaced(newOrderId());

    Incoming incoming = classify(bytes(placed.toJson().encode()), "orders");

    assertThat(incoming).isInstanceOfSatisfying(Incoming.Deliver.class, deliver -> {
      assertThat(deliver.event().envelope()).isEqualTo(placed);
      assertThat(deliver.event().position()).isZero();
    });
  }

  @Test
  void a_known_type_the_consumer_does_not_subscribe_to_is_skipped() {
    assertThat(classify(bytes(orderConfirmed(newOrderId()).toJson().encode()), "orders"))
        .isEqualTo(new Incoming.Skip("OrderConfirmed"));
  }

  @Test
  void a_known_type_its_headers_name_and_the_consumer_does_not_read_is_skipped_unread() {
    byte[] notEvenJson = bytes("not json {");

    assertThat(Incoming.classify(notEvenJson, "orders", "OrderConfirmed", PLACED_ONLY, WORDS))
        .isEqualTo(new Incoming.Skip("OrderConfirmed"));
    assertThat(Incoming.classify(null, "orders", "OrderConfirmed", PLACED_ONLY, WORDS))
        .isEqualTo(new Incoming.Skip("OrderConfirmed"));
  }

  @Test
  void headers_naming_a_type_it_reads_or_one_the_catalog_does_not_know_leave_the_body_to_decide() {
    EventEnvelope placed = orderPlaced(newOrderId());

    assertThat(Incoming.classify(bytes(placed.toJson().encode()), "orders", "OrderPlaced", PLACED_ONLY, WORDS))
        .isInstanceOf(Incoming.Deliver.class);
    assertThat(Incoming.classify(bytes("not json {"), "orders", "OrderPlaced", PLACED_ONLY, WORDS))
        .isInstanceOf(Incoming.Unreadable.class);
    assertThat(Incoming.classify(bytes("not json {"), "orders", "OrderTeleported", PLACED_ONLY, WORDS))
        .as("an unknown type is the consumer's to dead-letter").isInstanceOf(Incoming.Unreadable.class);
    assertThat(Incoming.classify(bytes(orderConfirmed(newOrderId()).toJson().encode()), "orders", "OrderPlaced",
        PLACED_ONLY, WORDS)).as("headers that name a type it reads cannot make it read another")
        .isEqualTo(new Incoming.Skip("OrderConfirmed"));
  }

  @Test
  void an_unknown_type_and_a_schema_violation_are_delivered_for_the_consumer_to_dead_letter() {
    JsonObject unknown = orderPlaced(newOrderId()).toJson().put("type", "OrderTeleported");

    assertThat(classify(bytes(unknown.encode()), "orders")).isInstanceOf(Incoming.Deliver.class);
    assertThat(classify(bytes(invalidOrderPlaced(newOrderId()).toJson().encode()), "orders"))
        .isInstanceOf(Incoming.Deliver.class);
  }

  @Test
  void what_is_not_a_cloud_event_is_unreadable_kept_as_it_came_and_the_reason_in_the_wires_words() {
    assertThat(classify(null, "orders")).isEqualTo(new Incoming.Unreadable("", "the record has no value"));
    assertThat(classify(new byte[0], "orders")).isEqualTo(new Incoming.Unreadable("", "the value is not a JSON object"));
    assertThat(classify(bytes("not json {"), "orders"))
        .isEqualTo(new Incoming.Unreadable("not json {", "the value is not a JSON object"));
    assertThat(classify(bytes("null"), "orders")).isEqualTo(new Incoming.Unreadable("null", "the value is not a JSON object"));
    assertThat(Incoming.classify(bytes("[1, 2]"), "orders", null, PLACED_ONLY, new Incoming.Wording("message", "body")))
        .isEqualTo(new Incoming.Unreadable("[1, 2]", "the body is not a JSON object"));
    assertThat(Incoming.classify(null, "orders", null, PLACED_ONLY, new Incoming.Wording("message", "body")))
        .isEqualTo(new Incoming.Unreadable("", "the message has no body"));
  }

  @Test
  void json_that_is_not_a_cloud_event_is_unreadable_with_the_attribute_that_is_wrong() {
    String noId = orderPlaced(newOrderId()).toJson().put("id", (String) null).encode();

    assertThat(classify(bytes(noId), "orders")).isInstanceOfSatisfying(Incoming.Unreadable.class, unreadable -> {
      assertThat(unreadable.payload()).isEqualTo(noId);
      assertThat(unreadable.reason()).contains("\"id\"");
    });
  }

  @Test
  void bytes_that_are_not_utf_8_are_kept_as_text_with_replacement_characters() {
    byte[] latin1 = "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);

    assertThat(classify(latin1, "orders")).isEqualTo(new Incoming.Unreadable("caf\ufffd", "the value is not a JSON object"));
  }

  @Test
  void an_event_on_another_modules_channel_or_with_another_source_is_refused_with_the_reason() {
    EventEnvelope placed = orderPlaced(newOrderId());
    String forgedSource = placed.toJson().put("source", "/payments").encode();

    assertThat(classify(bytes(placed.toJson().encode()), "payments")).isInstanceOfSatisfying(Incoming.Refuse.class,
        refused -> {
          assertThat(refused.reason()).contains("came on the channel of payments");
          assertThat(refused.event().envelope()).isEqualTo(placed);
        });
    assertThat(classify(bytes(forgedSource), "orders")).isInstanceOfSatisfying(Incoming.Refuse.class,
        refused -> assertThat(refused.reason()).contains("says its source is /payments"));
  }

  @Test
  void without_a_channel_per_module_only_the_source_is_checked() {
    EventEnvelope placed = orderPlaced(newOrderId());
    String forgedSource = placed.toJson().put("source", "/payments").encode();

    assertThat(classify(bytes(placed.toJson().encode()), null)).isInstanceOf(Incoming.Deliver.class);
    assertThat(classify(bytes(forgedSource), null)).isInstanceOf(Incoming.Refuse.class);
  }

  private static Incoming classify(byte[] body, String channelModule) {
    return Incoming.classify(body, channelModule, null, PLACED_ONLY, WORDS);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
