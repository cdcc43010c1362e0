package dev.switchboard.runtime.store;

import io.vertx.core.json.JsonObject;

/**
 * An event one consumer could not handle: why, after how many attempts, and the original message
 * ({@code event}: the envelope, or the raw text where it was not even a CloudEvent).
 */
public record DeadLetter(
    String id, String consumer, String eventId, long position, String reason, int attempts,
    JsonObject event, String failedAt) {

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
