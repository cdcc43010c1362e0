package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.store.DeadLetter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Copies a consumer's dead letters to its topic {@code switchboard.<consumer>.dlq}, so that Kafka
 * tools see them too. The store holds the letter already (that is what acknowledged the record),
 * so a copy that fails is a warning, never a reason to deliver the record again.
 */
final class DeadLetterForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterForwarder.class);

  private final KafkaPublisher publisher;

  DeadLetterForwarder(KafkaPublisher publisher) {
    this.publisher = publisher;
  }

  /** Never fails. */
  Future<Void> forward(String consumer, DeadLetter letter, Context context) {
    String topic = Topics.deadLettersOf(consumer);
    RecordHeaders headers = new RecordHeaders();
    headers.add("content-type", "application/json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
    ProducerRecord<String, String> record =
        new ProducerRecord<>(topic, null, keyOf(letter), letter.toJson().encode(), headers);
    return publisher.send(List.of(record), context).recover(failure -> {
      LOG.atWarn()
          .addKeyValue("deadLetterId", letter.id())
          .addKeyValue("eventId", letter.eventId())
          .log("dead letter {} of {} is in the store but was not copied to {}: {}", letter.id(), consumer, topic,
              failure.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The event's subject, so a subject's letters stay in order; the letter id where there is none. */
  static String keyOf(DeadLetter letter) {
    Object subject = letter.event() == null ? null : letter.event().getValue("subject");
    return subject instanceof String text && !text.isBlank() ? text : letter.id();
  }
}
