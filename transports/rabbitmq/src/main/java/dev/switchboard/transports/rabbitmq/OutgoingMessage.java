package dev.switchboard.transports.rabbitmq;

import com.rabbitmq.client.AMQP;
import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Route;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link Outgoing} message as AMQP publishes it: where to, with which properties, and its body.
 *
 * <p>An event goes to the topic exchange with the routing key {@code <module>.<type>}; a dead letter
 * straight to its consumer's dead-letter queue, through the default exchange. Every message is
 * persistent (delivery mode 2) and carries its id as message id, so that broker tools and foreign
 * consumers can deduplicate. The runtime's headers become AMQP's own properties where AMQP has one
 * (content type, type, correlation id, timestamp) and stay headers otherwise; the {@code ce_*}
 * headers and the W3C {@code traceparent} (which OpenTelemetry's RabbitMQ instrumentation reads) are
 * kept as headers all the same, for foreign consumers that route on headers.
 */
record OutgoingMessage(String exchange, String routingKey, AMQP.BasicProperties properties, Buffer body) {

  static final int PERSISTENT = 2;

  static OutgoingMessage of(Outgoing outgoing) {
    Map<String, String> given = outgoing.headers();
    Map<String, Object> headers = new LinkedHashMap<>();
    given.forEach((name, value) -> {
      if (!name.equals("content-type") && !name.equals("type")) { // AMQP has properties for those two
        headers.put(name, value);
      }
    });
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
        .contentType(given.get("content-type"))
        .deliveryMode(PERSISTENT)
        .messageId(outgoing.id())
        .correlationId(given.get("ce_correlationid"))
        .type(given.getOrDefault("ce_type", given.get("type")))
        .timestamp(timestampOf(given.get("ce_time")))
        .appId("switchboard")
        .headers(headers.isEmpty() ? null : headers)
        .build();
    Route route = outgoing.route();
    if (route instanceof Route.Event event) {
      return new OutgoingMessage(Names.EXCHANGE, Names.routingKey(event), properties, Buffer.buffer(outgoing.body()));
    }
    Route.DeadLetters letters = (Route.DeadLetters) route;
    return new OutgoingMessage(Names.DEFAULT_EXCHANGE, Names.deadLetterQueueOf(letters.consumer()), properties,
        Buffer.buffer(outgoing.body()));
  }

  /** The event's time as the AMQP timestamp (whole seconds), when it parses. */
  private static Date timestampOf(String time) {
    if (time == null) {
      return null;
    }
    try {
      return Date.from(Instant.parse(time));
    } catch (DateTimeParseException notRfc3339InUtc) {
      return null;
    }
  }
}
