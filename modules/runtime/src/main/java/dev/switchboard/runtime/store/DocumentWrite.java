package dev.switchboard.runtime.store;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Puts one read-model document, on the condition that it is at {@code expectedRevision}
 * ({@link ExpectedVersion#NONE} for a new one, {@link ExpectedVersion#ANY} for no guard).
 *
 * <p>As for {@link StreamAppend}, the rule of the revision check and its refusals are here, once
 * for every store.
 *
 * @param expiresAt when the document may be forgotten ({@link EventStore#forgetExpiredDocuments}), or
 *                  null to keep it until it is written again with an expiry: for a record that means
 *                  nothing after a while (an idempotency key's answer), so that its collection does not
 *                  grow for ever. Until the node's pruning comes by, an expired document is still read
 *                  as it was: whoever gave it an expiry decides what it means after
 */
public record DocumentWrite(String collection, String id, long expectedRevision, JsonObject body, Instant expiresAt) {

  /** A document kept until it is written again. */
  public DocumentWrite(String collection, String id, long expectedRevision, JsonObject body) {
    this(collection, id, expectedRevision, body, null);
  }

  /** The same write, of a document that may be forgotten from {@code at}. */
  public DocumentWrite expiringAt(Instant at) {
    return new DocumentWrite(collection, id, expectedRevision, body, at);
  }

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
