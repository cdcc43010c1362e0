package dev.switchboard.orders.readmodel;

import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.orders.domain.OrderStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The order read model, one document per order in the {@code orders} collection:
 * {@code {view: {orderId, customerId, status, total, items, reason?, updatedAt}, sequence}}.
 * {@code sequence} is the order-stream version the view reflects, so an older event never
 * overwrites a newer view.
 */
public final class OrderView {

  public static final String COLLECTION = "orders";

  private OrderView() {
  }

  public static JsonObject placed(OrderPlaced placed, String time, long sequence) {
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
        .put("items", items)
        .put("updatedAt", time);
    return document(view, sequence);
  }

  public static JsonObject confirmed(JsonObject current, OrderConfirmed confirmed, String time, long sequence) {
    JsonObject view = current.getJsonObject("view").copy()
        .put("status", OrderStatus.CONFIRMED.name())
        .put("updatedAt", time);
    view.remove("reason");
    return document(view, sequence);
  }

  public static JsonObject cancelled(JsonObject current, OrderCancelled cancelled, String time, long sequence) {
    JsonObject view = current.getJsonObject("view").copy()
        .put("status", OrderStatus.CANCELLED.name())
        .put("reason", cancelled.reason())
        .put("updatedAt", time);
    return document(view, sequence);
  }

  public static JsonObject view(JsonObject document) {
    return document.getJsonObject("view");
  }

  public static long sequence(JsonObject document) {
    return document.getLong("sequence", 0L);
  }

  /** The message browsers get on {@code orders.status}. */
  public static JsonObject statusChange(JsonObject document) {
    JsonObject view = view(document);
    JsonObject change = new JsonObject().put("orderId", view.getString("orderId")).put("status", view.getString("status"));
    if (view.getString("reason") != null) {
      change.put("reason", view.getString("reason"));
    }
    return change;
  }

  private static JsonObject document(JsonObject view, long sequence) {
    return new JsonObject().put("view", view).put("sequence", sequence);
  }
}
