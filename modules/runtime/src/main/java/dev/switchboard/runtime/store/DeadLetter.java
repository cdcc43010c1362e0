package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.InvalidEnvelope;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * An event one consumer could not handle: why, after how many attempts, and the original message
 * ({@code event}: the envelope, or the raw text where it was not even a CloudEvent).
 */
public record DeadLetter(
    String id, String consumer, String eventId, long position, String reason, int attempts,
    JsonObject event, String failedAt) {

  /**
   * The event, if it was read from the log at a place in its stream: the consumer's place in that
   * stream then marks it handled ({@link StoredEvent#handledIsKnownByItsStream}), with no inbox entry.
   */
  public Optional<StoredEvent> ofTheLog() {
    if (position <= 0) {
      return Optional.empty();
    }
    try {
      StoredEvent read = new StoredEvent(position, EventEnvelope.fromJson(event));
      return read.handledIsKnownByItsStream() ? Optional.of(read) : Optional.empty();
    } catch (InvalidEnvelope unreadable) { // the log holds none such; the inbox marks it then
      return Optional.empty();
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("consumer", consumer)
        .put("eventId", eventId)
        .put("reason", reason)
        .put("attempts", attempts)
        .put("event", event)
        .put("failedAt", failedAt);
  }
}
