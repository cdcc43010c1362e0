package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.transport.wire.Outgoing;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The names on the broker that foreign clients rely on (DESIGN §5). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OutgoingRecordsTest {

  @Test
  void an_event_of_any_module_goes_to_the_events_topic_keyed_by_its_subject_with_the_cloud_event_as_value() {
    String order = TestEvents.newOrderId();
    EventEnvelope reserved = TestEvents.stockReserved(order);

    ProducerRecord<String, byte[]> record = OutgoingRecords.toRecord(Outgoing.event(reserved));

    assertThat(record.topic()).isEqualTo("switchboard.events");
    assertThat(OutgoingRecords.toRecord(Outgoing.event(TestEvents.orderPlaced(order))).topic())
        .isEqualTo("switchboard.events");
    assertThat(record.key()).isEqualTo(order);
    assertThat(EventEnvelope.fromJson(new JsonObject(text(record.value())))).isEqualTo(reserved);
    assertThat(header(record, "ce_type")).isEqualTo("StockReserved");
    assertThat(header(record, "content-type")).startsWith("application/cloudevents+json");
  }

  @Test
  void the_events_trace_travels_as_a_w3c_traceparent_header_and_an_untraced_event_has_none() {
    EventEnvelope reserved = TestEvents.stockReserved(TestEvents.newOrderId());
    EventEnvelope untraced = reserved.withTrace(null);

    assertThat(reserved.traceparent()).isNotNull();
    assertThat(header(OutgoingRecords.toRecord(Outgoing.event(reserved)), "traceparent"))
        .isEqualTo(reserved.traceparent());
    assertThat(OutgoingRecords.toRecord(Outgoing.event(untraced)).headers().lastHeader("traceparent")).isNull();
  }

  @Test
  void a_dead_letter_goes_to_its_consumers_dlq_topic_as_json_keyed_by_its_events_subject() {
    DeadLetter letter = new DeadLetter("letter-1", "inventory", "event-1", 0, "why", 1,
        new JsonObject().put("subject", "order-7"), "2030-01-02T03:04:05Z");

    ProducerRecord<String, byte[]> record = OutgoingRecords.toRecord(Outgoing.deadLetter(letter));

    assertThat(record.topic()).isEqualTo("switchboard.inventory.dlq");
    assertThat(record.key()).isEqualTo("order-7");
    assertThat(new JsonObject(text(record.value()))).isEqualTo(letter.toJson());
    assertThat(header(record, "content-type")).isEqualTo("application/json; charset=UTF-8");
  }

  @Test
  void a_consumer_reads_the_events_topic_and_has_its_own_group_and_dead_letters() {
    assertThat(Topics.forTypes(Set.of("OrderPlaced", "OrderCancelled", "PaymentDeclined", "NoSuchType")))
        .containsExactly("switchboard.events");
    assertThat(Topics.forTypes(Set.of("NoSuchType"))).as("no type of the catalog, nothing to read").isEmpty();
    assertThat(Topics.groupOf("inventory")).isEqualTo("switchboard.inventory");
    assertThat(Topics.deadLettersOf("inventory")).isEqualTo("switchboard.inventory.dlq");
  }

  private static String header(ProducerRecord<String, byte[]> record, String name) {
    return text(record.headers().lastHeader(name).value());
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
