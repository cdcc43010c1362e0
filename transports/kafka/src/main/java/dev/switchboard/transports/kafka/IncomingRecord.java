package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.InvalidEnvelope;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Provenance;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * What a consumed record is to one consumer: an event to deliver, a known event it did not
 * subscribe to (skipped: other consumers of the topic want it), or a message that is no CloudEvent
 * at all (dead-lettered as text). Events of unknown types and events breaking their schema are
 * delivered: the consumer's runner dead-letters them with the reason.
 */
sealed interface IncomingRecord {

  /** A CloudEvent for the consumer; position 0, since it was not read from our store's log. */
  record Deliver(StoredEvent event) implements IncomingRecord {
  }

  /** A known type the consumer does not handle. */
  record Skip(String type) implements IncomingRecord {
  }

  /** Not a CloudEvent: the text as it came, and why. */
  record Unreadable(String payload, String reason) implements IncomingRecord {
  }

  /** A CloudEvent that cannot have come from where it says (see {@link Provenance}): refused, and why. */
  record Refuse(StoredEvent event, String reason) implements IncomingRecord {
  }

  /** @param topic the topic the record came on: the channel of one producing module */
  static IncomingRecord classify(String value, String topic, Set<String> subscribedTypes) {
    if (value == null) {
      return new Unreadable("", "the record has no value");
    }
    JsonObject json;
    try {
      json = new JsonObject(value);
    } catch (DecodeException | ClassCastException notAnObject) {
      return new Unreadable(value, "the value is not a JSON object");
    }
    EventEnvelope envelope;
    try {
      envelope = EventEnvelope.fromJson(json);
    } catch (InvalidEnvelope invalid) {
      return new Unreadable(value, invalid.getMessage());
    } catch (RuntimeException odd) {
      // whatever else a strange value makes the parser throw: still a message, never a stuck partition
      return new Unreadable(value, "the value is not a CloudEvent: " + odd);
    }
    if (!subscribedTypes.contains(envelope.type()) && EventCatalog.byName(envelope.type()).isPresent()) {
      return new Skip(envelope.type());
    }
    StoredEvent event = new StoredEvent(0, envelope);
    return Provenance.refusal(envelope, Topics.moduleOf(topic)).<IncomingRecord>map(reason -> new Refuse(event, reason))
        .orElseGet(() -> new Deliver(event));
  }
}
