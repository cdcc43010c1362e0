package dev.switchboard.runtime.transport;

import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.Future;

/**
 * Where a transport hands what arrives for one consumer. The returned future is the
 * acknowledgement: it succeeds once the message is handled, known as a duplicate, or dead-lettered,
 * and fails only when nothing durable could be recorded, in which case the transport must deliver
 * the message again (never skip it).
 */
public interface Inbound {

  /** A CloudEvent that parsed as an envelope; its schema and type are checked by the consumer. */
  Future<Delivery> deliver(StoredEvent event);

  /**
   * An event read from the log after every event the consumer handled (see
   * {@link dev.switchboard.runtime.store.EventStore#handledUpTo}): it cannot have been handled
   * before, so the consumer need not ask the store first.
   */
  default Future<Delivery> deliverNew(StoredEvent event) {
    return deliver(event);
  }

  /**
   * A message that is not a CloudEvent at all (not JSON, or missing required attributes): it goes
   * straight to the dead letters with the reason, its text kept as it came.
   */
  Future<Delivery> unreadable(String payload, String reason);

  /**
   * A CloudEvent refused for where it came from (see {@link Provenance}): it goes straight to the
   * dead letters with the reason, its envelope kept, and is never handled.
   */
  default Future<Delivery> refuse(StoredEvent event, String reason) {
    return unreadable(event.envelope().encode(), reason);
  }
}
