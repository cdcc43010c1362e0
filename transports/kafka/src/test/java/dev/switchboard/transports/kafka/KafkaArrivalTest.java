package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.transport.wire.Outgoing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What a consumed record tells the runtime before its value is read. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaArrivalTest {

  @Test
  void the_type_of_a_record_is_its_ce_type_header_so_that_other_consumers_events_are_passed_over_unread() {
    ProducerRecord<String, byte[]> sent = OutgoingRecords.toRecord(
        Outgoing.event(TestEvents.stockReserved(TestEvents.newOrderId())));

    assertThat(arrivalOf(consumed(sent.value(), new RecordHeaders(sent.headers().toArray()))).typeHeader())
        .isEqualTo("StockReserved");
  }

  @Test
  void a_record_of_a_foreign_producer_without_the_header_names_no_type() {
    assertThat(arrivalOf(consumed("{}".getBytes(), new RecordHeaders())).typeHeader()).isNull();
  }

  private static ConsumerRecord<String, byte[]> consumed(byte[] value, RecordHeaders headers) {
    return new ConsumerRecord<>(Topics.EVENTS, 0, 7, 0, TimestampType.CREATE_TIME, 0, value.length, "order-1", value,
        headers, Optional.empty());
  }

  /** Settling needs a source and its offsets; reading what the record says does not. */
  private static KafkaArrival arrivalOf(ConsumerRecord<String, byte[]> record) {
    return new KafkaArrival(record, null, null);
  }
}
