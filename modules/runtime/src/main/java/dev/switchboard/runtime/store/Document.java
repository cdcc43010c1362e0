package dev.switchboard.runtime.store;

import io.vertx.core.json.JsonObject;

/** A read-model document and its revision, the guard for the next write of it. */
public record Document(String collection, String id, long revision, JsonObject body) {

  /** The same document with a body of its own, for a reader that may change it. */
  public Document copy() {
    return new Document(collection, id, revision, body.copy());
  }
}
