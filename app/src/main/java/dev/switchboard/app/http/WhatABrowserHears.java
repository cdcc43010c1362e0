package dev.switchboard.app.http;

import dev.switchboard.app.security.Caller;
import dev.switchboard.app.security.Role;
import dev.switchboard.orders.api.OrdersApi;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;

import java.util.Optional;

/**
 * Decides, for each message the bridge is about to write to one browser, whether that browser's
 * caller may hear it, and in what form: a customer hears only its own orders' statuses, only an
 * operator hears {@code events.live}, and nobody learns whose order a status is about (the customer
 * id that {@code orders.status} carries for this filter is taken out).
 */
final class WhatABrowserHears {

  private WhatABrowserHears() {
  }

  /** Whether to deliver; may rewrite the message (a copy: other browsers get the same body). */
  static boolean admit(BridgeEvent event, Caller caller) {
    JsonObject raw = event.getRawMessage();
    String address = raw.getString("address");
    if (EventBusBridge.LIVE_EVENTS.equals(address)) {
      return caller.has(Role.OPERATOR);
    }
    if (OrdersApi.STATUS.equals(address)) {
      if (!(raw.getValue("body") instanceof JsonObject status)) {
        return false;
      }
      Optional<String> scope = caller.ordersScope();
      if (scope.isPresent() && !scope.get().equals(status.getString("customerId"))) {
        return false;
      }
      JsonObject told = status.copy();
      told.remove("customerId");
      event.setRawMessage(raw.copy().put("body", told));
      return true;
    }
    return true;
  }
}
