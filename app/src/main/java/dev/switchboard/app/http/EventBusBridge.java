package dev.switchboard.app.http;

import dev.switchboard.app.security.Caller;
import dev.switchboard.app.security.Role;
import dev.switchboard.orders.api.OrdersApi;
import io.vertx.core.Vertx;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /eventbus}: the SockJS bridge that carries the event bus out to browsers (the live page, or
 * any vertx-eventbus.js client). Outbound only: a browser may listen on {@link #OUTBOUND}, and
 * nothing else; it may send or publish nothing at all.
 *
 * <p>The refusals are the bridge's own: with no inbound address permitted it answers every send and
 * publish with its standard {@code access_denied} error, and so every register on an address that is
 * not outbound. This class only logs them, so that an operator sees who knocks.
 *
 * <p>Who may hear what: the gate in front of the bridge (HttpVerticle) refuses a foreign origin and,
 * with tokens on, a browser without a valid one (the {@code token} query parameter of the SockJS URL);
 * then each message is filtered for each socket's caller ({@link WhatABrowserHears}).
 */
final class EventBusBridge {

  /** Where the bridge is mounted; SockJS serves its transports under it (e.g. {@code /eventbus/websocket}). */
  static final String PATH = "/eventbus/*";
  /** Every event's envelope without its data, as LiveEvents (in the app package) publishes it. */
  static final String LIVE_EVENTS = "events.live";
  /** The addresses browsers may listen on. */
  static final Set<String> OUTBOUND = Set.of(OrdersApi.STATUS, LIVE_EVENTS);

  private static final Logger LOG = LoggerFactory.getLogger(EventBusBridge.class);

  private EventBusBridge() {
  }

  /** The bridge, as a router to mount on {@link #PATH}. */
  static Router router(Vertx vertx) {
    SockJSBridgeOptions options = new SockJSBridgeOptions();
    OUTBOUND.forEach(address -> options.addOutboundPermitted(new PermittedOptions().setAddress(address)));
    return SockJSHandler.create(vertx).bridge(options, EventBusBridge::onBridgeEvent);
  }

  private static void onBridgeEvent(BridgeEvent event) {
    // who opened the socket: the bridge's gate (HttpVerticle) put the caller in the request that did
    Optional<Caller> caller = Authentication.found(event.socket().routingContext());
    if (caller.isEmpty()) {
      // fails closed: a socket that did not come through the gate hears nothing
      LOG.warn("closing a bridge socket ({}) with no authenticated caller", event.socket().remoteAddress());
      event.complete(false);
      return;
    }
    switch (event.type()) {
      // the address only: a body is the browser's data and has no place in our logs
      case SEND, PUBLISH -> LOG.warn("refused a {} from a browser ({}) to {}: the event-bus bridge is outbound only",
          event.type(), event.socket().remoteAddress(), LogValues.escape(address(event)));
      case REGISTER -> {
        String address = address(event);
        if (!OUTBOUND.contains(address)) {
          LOG.warn("refused a REGISTER from a browser ({}) on {}: browsers may listen on {} only",
              event.socket().remoteAddress(), LogValues.escape(address), OUTBOUND);
        } else if (LIVE_EVENTS.equals(address) && !caller.get().has(Role.OPERATOR)) {
          LOG.warn("refused a REGISTER from a browser ({}) on {}: operators only", event.socket().remoteAddress(),
              address);
          event.complete(false); // the bridge answers "rejected"
          return;
        }
      }
      case RECEIVE -> {
        if (caller.get().expiredAt(Instant.now())) {
          event.socket().close(); // the token it opened with has expired: it must sign in again
          event.complete(false);
          return;
        }
        event.complete(WhatABrowserHears.admit(event, caller.get()));
        return;
      }
      default -> {
      }
    }
    // true lets the bridge apply its permissions and answer access_denied itself; false would make it
    // answer "rejected" instead, which clients of the standard bridge do not expect
    event.complete(true);
  }

  private static String address(BridgeEvent event) {
    return event.getRawMessage() == null ? null : event.getRawMessage().getString("address");
  }
}
