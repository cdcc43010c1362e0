package dev.switchboard.transports.rabbitmq;

import com.rabbitmq.client.AMQP;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message as it is published: where to, with which properties, and its body.
 *
 * <p>Events travel in the CloudEvents structured mode: the body is the whole CloudEvent as JSON.
 * They are persistent (delivery mode 2), carry the event id as message id (so that broker tools and
 * foreign consumers can deduplicate) and, as a convenience for foreign consumers that route on
 * headers, the main CloudEvents attributes as {@code ce_*} headers, and the event's W3C
 * {@code traceparent} (the header OpenTelemetry's RabbitMQ instrumentation reads).
 */
record OutgoingMessage(String exchange, String routingKey, AMQP.BasicProperties properties, Buffer body) {

  static final String CONTENT_TYPE = "application/json";
  static final int PERSISTENT = 2;

  static OutgoingMessage of(EventEnvelope envelope) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("ce_specversion", EventEnvelope.SPEC_VERSION);
    headers.put("ce_id", envelope.id());
    headers.put("ce_type", envelope.type());
    headers.put("ce_source", envelope.source());
    headers.put("ce_subject", envelope.subject());
    headers.put("ce_time", envelope.time());
    if (envelope.traceparent() != null) {
      headers.put("traceparent", envelope.traceparent());
    }
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
        .contentType(CONTENT_TYPE)
        .contentEncoding("UTF-8")
        .deliveryMode(PERSISTENT)
        .messageId(envelope.id())
        .correlationId(envelope.correlationid())
        .type(envelope.type())
        .timestamp(timestampOf(envelope.time()))
        .appId("switchboard")
        .headers(headers)
        .build();
    return new OutgoingMessage(Names.EXCHANGE, Names.routingKey(envelope), properties,
        Buffer.buffer(envelope.toJson().encode()));
  }

  /** A consumer's dead letter, straight to its dead-letter queue (through the default exchange). */
  static OutgoingMessage deadLetter(DeadLetter letter) {
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
        .contentType(CONTENT_TYPE)
        .contentEncoding("UTF-8")
        .deliveryMode(PERSISTENT)
        .messageId(letter.id())
        .type("DeadLetter")
        .appId("switchboard")
        .build();
    return new OutgoingMessage(Names.DEFAULT_EXCHANGE, Names.deadLetterQueueOf(letter.consumer()), properties,
        Buffer.buffer(letter.toJson().encode()));
  }

  /** The event's time as the AMQP timestamp (whole seconds), when it parses. */
  private static Date timestampOf(String time) {
    try {
      return Date.from(Instant.parse(time));
    } catch (DateTimeParseException notRfc3339InUtc) {
      return null;
    }
  }
}
