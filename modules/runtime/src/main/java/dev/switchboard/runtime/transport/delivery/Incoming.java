package dev.switchboard.runtime.transport.delivery;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.ExactJson;
import dev.switchboard.contracts.InvalidEnvelope;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Provenance;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What a message that came off a broker is to one consumer: an event to deliver, an event of a known
 * type it does not subscribe to (skipped: the channel carries other types of the module, for other
 * consumers), something that is no CloudEvent at all (dead-lettered as text), or a CloudEvent that
 * cannot have come from where it says (refused). Events of types the catalog does not know and
 * events that break their schema are delivered: the consumer's runner dead-letters them with the
 * reason.
 *
 * <p>A wire adapts its message to {@link #classify}: the body as it came, the module whose channel
 * it came on, and the type its headers name. A message whose headers name a known type the consumer
 * does not read is skipped by that alone, its body not even parsed, as a broker filters by the same
 * names: a consumer on Kafka reads every event of the topic, and on RabbitMQ every event of the
 * modules it reads from, most of them for other consumers. The type the body says decides the rest.
 */
public sealed interface Incoming {

  /** A CloudEvent for the consumer; position 0, since it was not read from our store's log. */
  record Deliver(StoredEvent event) implements Incoming {
  }

  /** A known type the consumer does not handle. */
  record Skip(String type) implements Incoming {
  }

  /** Not a CloudEvent: the text as it came, and why. */
  record Unreadable(String payload, String reason) implements Incoming {
  }

  /** A CloudEvent that cannot have come from where it says (see {@link Provenance}): refused, and why. */
  record Refuse(StoredEvent event, String reason) implements Incoming {
  }

  /**
   * What the wire calls a message and its body, in the reasons an unreadable one is dead-lettered
   * with ({@code the record has no value}, {@code the body is not a JSON object}): operators read
   * those reasons in the dead letters, in their broker's words.
   */
  record Wording(String message, String body) {
  }

  /**
   * @param body           the message's body as it came; null when it has none
   * @param channelModule  the module whose channel (topic, routing key) it came on; null where the wire
   *                       has no channel per module (only the event's source is checked then)
   * @param typeHeader     the type that the message's headers (or its routing key) name; null where
   *                       they name none
   * @param subscribedTypes the types the consumer handles
   */
  static Incoming classify(byte[] body, String channelModule, String typeHeader, Set<String> subscribedTypes,
                           Wording wording) {
    if (typeHeader != null && isPassedOver(typeHeader, subscribedTypes)) {
      return new Skip(typeHeader);
    }
    if (body == null) {
      return new Unreadable("", "the " + wording.message() + " has no " + wording.body());
    }
    String text = new String(body, StandardCharsets.UTF_8);
    JsonObject json;
    try {
      json = ExactJson.parse(text);
    } catch (DecodeException notAnObject) {
      return new Unreadable(text, "the " + wording.body() + " is not a JSON object");
    }
    EventEnvelope envelope;
    try {
      envelope = EventEnvelope.fromJson(json);
    } catch (InvalidEnvelope invalid) {
      return new Unreadable(text, invalid.getMessage());
    } catch (RuntimeException odd) {
      // whatever else a strange body makes the parser throw: still a dead letter, never a stuck partition or queue
      return new Unreadable(text, "the " + wording.body() + " is not a CloudEvent: " + odd);
    }
    if (isPassedOver(envelope.type(), subscribedTypes)) {
      return new Skip(envelope.type());
    }
    StoredEvent event = new StoredEvent(0, envelope);
    return Provenance.refusal(envelope, channelModule).<Incoming>map(reason -> new Refuse(event, reason))
        .orElseGet(() -> new Deliver(event));
  }

  /** A type of the catalog the consumer does not read: an unknown one is its to dead-letter. */
  private static boolean isPassedOver(String type, Set<String> subscribedTypes) {
    return !subscribedTypes.contains(type) && EventCatalog.byName(type).isPresent();
  }
}
