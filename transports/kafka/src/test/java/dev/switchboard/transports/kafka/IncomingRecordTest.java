package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.transport.delivery.Incoming;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a record on a topic is to a consumer, from its value alone. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IncomingRecordTest {

  private static final Set<String> PLACED_ONLY = Set.of("OrderPlaced");

  @Test
  void a_cloud_event_of_a_subscribed_type_is_delivered_as_it_came_with_no_log_position() {
    EventEnvelope placed = TestEvents.orderPlaced(TestEvents.newOrderId());

    Incoming incoming = IncomingRecord.classify(bytes(placed.toJson().encode()), "switchboard.orders", PLACED_ONLY);

    assertThat(incoming).isInstanceOfSatisfying(Incoming.Deliver.class, deliver -> {
      assertThat(deliver.event().envelope()).isEqualTo(placed);
      assertThat(deliver.event().position()).isZero();
    });
  }

  @Test
  void a_known_type_the_consumer_does_not_subscribe_to_is_skipped() {
    String confirmed = TestEvents.orderConfirmed(TestEvents.newOrderId()).toJson().encode();

    assertThat(IncomingRecord.classify(bytes(confirmed), "switchboard.orders", PLACED_ONLY)).isEqualTo(new Incoming.Skip("OrderConfirmed"));
  }

  @Test
  void an_unknown_type_and_a_schema_violation_are_delivered_for_the_consumer_to_dead_letter() {
    JsonObject unknown = TestEvents.orderPlaced(TestEvents.newOrderId()).toJson().put("type", "OrderTeleported");
    String invalid = TestEvents.invalidOrderPlaced(TestEvents.newOrderId()).toJson().encode();

    assertThat(IncomingRecord.classify(bytes(unknown.encode()), "switchboard.orders", PLACED_ONLY)).isInstanceOf(Incoming.Deliver.class);
    assertThat(IncomingRecord.classify(bytes(invalid), "switchboard.orders", PLACED_ONLY)).isInstanceOf(Incoming.Deliver.class);
  }

  @Test
  void text_that_is_not_a_json_object_is_unreadable_and_kept_as_it_came() {
    assertThat(IncomingRecord.classify(bytes("hello, not json"), "switchboard.orders", PLACED_ONLY))
        .isEqualTo(new Incoming.Unreadable("hello, not json", "the value is not a JSON object"));
    assertThat(IncomingRecord.classify(bytes("[1,2]"), "switchboard.orders", PLACED_ONLY)).isInstanceOf(Incoming.Unreadable.class);
    assertThat(IncomingRecord.classify(bytes(null), "switchboard.orders", PLACED_ONLY)).isInstanceOf(Incoming.Unreadable.class);
    assertThat(IncomingRecord.classify(null, "switchboard.orders", PLACED_ONLY))
        .isEqualTo(new Incoming.Unreadable("", "the record has no value"));
    assertThat(IncomingRecord.classify(new byte[0], "switchboard.orders", PLACED_ONLY))
        .isEqualTo(new Incoming.Unreadable("", "the value is not a JSON object"));
  }

  @Test
  void an_event_on_another_modules_topic_or_with_another_source_is_refused_with_the_reason() {
    EventEnvelope placed = TestEvents.orderPlaced(TestEvents.newOrderId());
    String forgedSource = placed.toJson().put("source", "/payments").encode();

    assertThat(IncomingRecord.classify(bytes(placed.toJson().encode()), "switchboard.payments", PLACED_ONLY))
        .isInstanceOfSatisfying(Incoming.Refuse.class,
            refused -> assertThat(refused.reason()).contains("came on the channel of payments"));
    assertThat(IncomingRecord.classify(bytes(forgedSource), "switchboard.orders", PLACED_ONLY))
        .isInstanceOfSatisfying(Incoming.Refuse.class,
            refused -> assertThat(refused.reason()).contains("says its source is /payments"));
  }

  @Test
  void json_that_is_not_a_cloud_event_is_unreadable_with_the_attribute_that_is_wrong() {
    String noId = TestEvents.orderPlaced(TestEvents.newOrderId()).toJson().put("id", (String) null).encode();

    assertThat(IncomingRecord.classify(bytes(noId), "switchboard.orders", PLACED_ONLY)).isInstanceOfSatisfying(Incoming.Unreadable.class,
        unreadable -> {
          assertThat(unreadable.payload()).isEqualTo(noId);
          assertThat(unreadable.reason()).contains("\"id\"");
        });
  }

  private static byte[] bytes(String value) {
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }
}
