package dev.switchboard.runtime.store;

import io.vertx.core.json.JsonObject;

/**
 * Puts one read-model document, on the condition that it is at {@code expectedRevision}
 * ({@link ExpectedVersion#NONE} for a new one, {@link ExpectedVersion#ANY} for no guard).
 */
public record DocumentWrite(String collection, String id, long expectedRevision, JsonObject body) {
}
