package dev.switchboard.runtime.store;

import io.vertx.core.json.JsonObject;

/** A read-model document and its revision, the guard for the next write of it. */
public record Document(String collection, String id, long revision, JsonObject body) {
}
