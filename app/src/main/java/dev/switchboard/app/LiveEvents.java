package dev.switchboard.app;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.outbox.OutboxRelay;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Tells browsers of every event as it is published: its envelope, with {@code data} left out, on
 * {@value #ADDRESS} (carried to browsers by the SockJS bridge, and across a cluster by its event bus),
 * never with an idempotency key in it.
 * Published once the transport confirmed the event, so a browser never hears of one that may yet be
 * lost.
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

  static void publishFrom(OutboxRelay relay, EventBus eventBus) {
    relay.onPublished((List<StoredEvent> events) ->
        events.forEach(event -> eventBus.publish(ADDRESS, forBrowsers(event.envelope()))));
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
