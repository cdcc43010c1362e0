package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.transport.delivery.DeadLetterForwarder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * An event as a Kafka record: on the topic of its module, keyed by its {@code subject} (so all
 * events of an order land on one partition, in order), the CloudEvent as JSON in the value
 * (structured mode). The headers are a convenience for routing and tools that do not parse the
 * value: {@code content-type} says the value is a structured CloudEvent, which is what CloudEvents
 * SDKs read first; the {@code ce_} attributes repeat the main ones; {@code traceparent} (W3C Trace
 * Context, the header OpenTelemetry's Kafka instrumentation reads) continues the event's trace in
 * foreign consumers.
 */
final class CloudEventRecords {

  static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
  static final String DEAD_LETTER_CONTENT_TYPE = "application/json; charset=UTF-8";

  private CloudEventRecords() {
  }

  static ProducerRecord<String, String> toRecord(EventEnvelope event) {
    RecordHeaders headers = new RecordHeaders();
    header(headers, "content-type", STRUCTURED_CONTENT_TYPE);
    header(headers, "ce_specversion", EventEnvelope.SPEC_VERSION);
    header(headers, "ce_id", event.id());
    header(headers, "ce_type", event.type());
    header(headers, "ce_source", event.source());
    header(headers, "ce_subject", event.subject());
    if (event.traceparent() != null) {
      header(headers, "traceparent", event.traceparent());
    }
    return new ProducerRecord<>(Topics.ofEvent(event), null, event.subject(), event.toJson().encode(), headers);
  }

  /**
   * A consumer's dead letter as a record on its dead-letter topic: the letter as JSON, keyed by
   * {@link DeadLetterForwarder#keyOf} so that a subject's letters stay in order.
   */
  static ProducerRecord<String, String> deadLetter(String topic, DeadLetter letter) {
    RecordHeaders headers = new RecordHeaders();
    header(headers, "content-type", DEAD_LETTER_CONTENT_TYPE);
    return new ProducerRecord<>(topic, null, DeadLetterForwarder.keyOf(letter), letter.toJson().encode(), headers);
  }

  private static void header(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
