package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.wire.Outgoing;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * An outgoing message as a Kafka record: on the topic of its route ({@link Topics#of}), keyed by its
 * key (an event's subject, so that all events of an order land on one partition, in order), its
 * body as the value, its headers as record headers (UTF-8).
 */
final class OutgoingRecords {

  private OutgoingRecords() {
  }

  static ProducerRecord<String, byte[]> toRecord(Outgoing message) {
    RecordHeaders headers = new RecordHeaders();
    message.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(Topics.of(message.route()), null, message.key(), message.body(), headers);
  }
}
