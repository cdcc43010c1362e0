package dev.switchboard.app;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.EventLog;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Tells browsers of every event as it is committed: its envelope, with {@code data} left out, on
 * {@value #ADDRESS} (carried to browsers by the SockJS bridge, and across a cluster by its event bus),
 * never with an idempotency key in it.
 *
 * <p>Each node tells of the events its own store connection committed, so that across a cluster
 * every event is told once, by the node that wrote it, with no lease and no read of the log. A
 * browser never hears of an event that may yet be lost: the log is the outbox, and what it holds is
 * published. An event whose commit the node never heard confirmed (its connection died at the
 * commit) is not told; the page's next read of the order shows it.
 */
final class LiveEvents {

  public static final String ADDRESS = "events.live";

  private LiveEvents() {
  }

  /**
   * How the orders module names the request an order was placed by when the client gave an
   * {@code Idempotency-Key}: {@code causationid} is then {@code idempotency-key:<the key>}.
   */
  static final String IDEMPOTENCY_CAUSATION = "idempotency-key:";

  /**
   * Tells of every batch the store commits from now on, on the caller's context: off the committing
   * thread, which is the embedded store's single writer.
   */
  static void tellOf(EventLog store, Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    store.observeAppends((List<StoredEvent> events) -> context.runOnContext(v ->
        events.forEach(event -> vertx.eventBus().publish(ADDRESS, forBrowsers(event.envelope())))));
  }

  /**
   * The envelope without its data, and without a causation id that is a client's idempotency key:
   * whoever knows a key can have the first answer given under it again.
   */
  static JsonObject forBrowsers(EventEnvelope envelope) {
    JsonObject told = envelope.envelopeWithoutData();
    if (told.getString("causationid", "").startsWith(IDEMPOTENCY_CAUSATION)) {
      told.remove("causationid");
    }
    return told;
  }
}
