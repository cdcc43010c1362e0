package dev.switchboard.orders.readmodel;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.orders.domain.OrderStatus;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/**
 * The order read model, one row per order: {@code {orderId, customerId, status, total, currency, items,
 * shippingAddress?, reason?, updatedAt}}, exactly what {@code GET /orders/{id}} answers. Pure functions of the
 * order's events, shared by the projection and by the fallback that reads the order's own stream.
 */
public final class OrderView {

  private OrderView() {
  }

  public static JsonObject placed(OrderPlaced placed, String time) {
    JsonArray items = new JsonArray();
    for (OrderLine line : placed.items()) {
      items.add(new JsonObject()
          .put("productId", line.productId())
          .put("quantity", line.quantity())
          .put("unitPrice", line.unitPrice()));
    }
    JsonObject view = new JsonObject()
        .put("orderId", placed.orderId())
        .put("customerId", placed.customerId())
        .put("status", OrderStatus.PENDING.name())
        .put("total", placed.total())
        .put("currency", placed.currency())
        .put("items", items)
        .put("updatedAt", time);
    if (placed.shippingAddress() != null) {
      view.put("shippingAddress", EventData.encode(placed.shippingAddress()));
    }
    return view;
  }

  public static JsonObject confirmed(JsonObject view, String time) {
    JsonObject confirmed = view.copy().put("status", OrderStatus.CONFIRMED.name()).put("updatedAt", time);
    confirmed.remove("reason");
    return confirmed;
  }

  public static JsonObject cancelled(JsonObject view, OrderCancelled cancelled, String time) {
    return view.copy()
        .put("status", OrderStatus.CANCELLED.name())
        .put("reason", cancelled.reason())
        .put("updatedAt", time);
  }

  /** The view of an order from its own stream's events, oldest first; empty if it was never placed. */
  public static Optional<JsonObject> of(List<StoredEvent> orderStream, EventUpcasters upcasters) {
    JsonObject view = null;
    for (StoredEvent event : orderStream) {
      String time = event.envelope().time();
      if (event.type().equals(EventCatalog.ORDER_PLACED.name())) {
        view = placed(event.data(upcasters, EventCatalog.ORDER_PLACED), time);
      } else if (view != null && event.type().equals(EventCatalog.ORDER_CONFIRMED.name())) {
        view = confirmed(view, time);
      } else if (view != null && event.type().equals(EventCatalog.ORDER_CANCELLED.name())) {
        view = cancelled(view, event.data(upcasters, EventCatalog.ORDER_CANCELLED), time);
      }
    }
    return Optional.ofNullable(view);
  }

  /** The message told on {@code orders.status} (the bridge takes the customer id out before a browser sees it). */
  public static JsonObject statusChange(JsonObject view) {
    JsonObject change = new JsonObject().put("orderId", view.getString("orderId"))
        .put("customerId", view.getString("customerId")).put("status", view.getString("status"));
    if (view.getString("reason") != null) {
      change.put("reason", view.getString("reason"));
    }
    return change;
  }
}
