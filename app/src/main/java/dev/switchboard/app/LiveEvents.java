package dev.switchboard.app;

import dev.switchboard.runtime.outbox.OutboxRelay;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.eventbus.EventBus;

import java.util.List;

/**
 * Tells browsers of every event as it is published: its envelope, with {@code data} left out, on
 * {@value #ADDRESS} (carried to browsers by the SockJS bridge, and across a cluster by its event bus).
 * Published once the transport confirmed the event, so a browser never hears of one that may yet be
 * lost.
 */
final class LiveEvents {

  public static final String ADDRESS = "events.live";

  private LiveEvents() {
  }

  static void publishFrom(OutboxRelay relay, EventBus eventBus) {
    relay.onPublished((List<StoredEvent> events) ->
        events.forEach(event -> eventBus.publish(ADDRESS, event.envelope().envelopeWithoutData())));
  }
}
