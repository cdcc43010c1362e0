package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.InvalidEnvelope;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Provenance;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * What a message in a consumer's queue is to that consumer: an event to deliver, an event of a known
 * type it does not subscribe to (its queue is bound by module, so it sees the module's other types:
 * acknowledged and skipped), or something that is no CloudEvent at all (dead-lettered as text).
 * Events of types the catalog does not know and events that break their schema are delivered: the
 * consumer's runner dead-letters them with the reason.
 */
sealed interface IncomingMessage {

  /** A CloudEvent for the consumer; position 0, since it was not read from our store's log. */
  record Deliver(StoredEvent event) implements IncomingMessage {
  }

  /** A known type the consumer does not handle. */
  record Skip(String type) implements IncomingMessage {
  }

  /** Not a CloudEvent: the text as it came, and why. */
  record Unreadable(String payload, String reason) implements IncomingMessage {
  }

  /** A CloudEvent that cannot have come from where it says (see {@link Provenance}): refused, and why. */
  record Refuse(StoredEvent event, String reason) implements IncomingMessage {
  }

  /** @param routingKey the message's routing key, {@code <module>.<type>}: the channel of one producing module */
  static IncomingMessage classify(byte[] body, String routingKey, Set<String> subscribedTypes) {
    if (body == null || body.length == 0) {
      return new Unreadable("", "the message has no body");
    }
    String text = new String(body, StandardCharsets.UTF_8);
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException notAnObject) {
      return new Unreadable(text, "the body is not a JSON object");
    }
    EventEnvelope envelope;
    try {
      envelope = EventEnvelope.fromJson(json);
    } catch (InvalidEnvelope invalid) {
      return new Unreadable(text, invalid.getMessage());
    } catch (RuntimeException odd) {
      // whatever else a strange body makes the parser throw: still a dead letter, never a stuck queue
      return new Unreadable(text, "the body is not a CloudEvent: " + odd);
    }
    if (!subscribedTypes.contains(envelope.type()) && EventCatalog.byName(envelope.type()).isPresent()) {
      return new Skip(envelope.type());
    }
    StoredEvent event = new StoredEvent(0, envelope);
    return Provenance.refusal(envelope, Names.moduleOf(routingKey)).<IncomingMessage>map(reason -> new Refuse(event, reason))
        .orElseGet(() -> new Deliver(event));
  }
}
