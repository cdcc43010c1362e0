package dev.switchboard.runtime.store;

import io.vertx.core.json.JsonObject;

/**
 * Puts one read-model document, on the condition that it is at {@code expectedRevision}
 * ({@link ExpectedVersion#NONE} for a new one, {@link ExpectedVersion#ANY} for no guard).
 *
 * <p>As for {@link StreamAppend}, the rule of the revision check and its refusals are here, once
 * for every store.
 */
public record DocumentWrite(String collection, String id, long expectedRevision, JsonObject body) {

  public DocumentKey key() {
    return new DocumentKey(collection, id);
  }

  /**
   * The revision the write makes, the document being at {@code current} (0 if there is none).
   *
   * @throws ConcurrencyConflict if the write expects the document at another revision
   */
  public long revisionAfter(long current) {
    if (expectedRevision != ExpectedVersion.ANY && expectedRevision != current) {
      throw refusedAt(current);
    }
    return current + 1;
  }

  /** The refusal of this write by its document, found at revision {@code current} (0 if there is none). */
  public ConcurrencyConflict refusedAt(long current) {
    return new ConcurrencyConflict("document " + collection + "/" + id + " is at revision " + current
        + ", expected " + expectedRevision);
  }
}
