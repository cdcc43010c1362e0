package dev.switchboard.runtime.testing;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.projection.ReadModel;
import dev.switchboard.runtime.projection.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** A read model for tests that counts each order's events: a row per order, {@code {placed, confirmed}}. */
public final class OrderEventCounts {

  private OrderEventCounts() {
  }

  public static ReadModel named(String name) {
    return ReadModel.named(name)
        .on(EventCatalog.ORDER_PLACED, (event, rows) -> count(rows, event.subject(), "placed"))
        .on(EventCatalog.ORDER_CONFIRMED, (event, rows) -> count(rows, event.subject(), "confirmed"))
        .build();
  }

  private static Future<Void> count(Rows rows, String orderId, String field) {
    return rows.get(orderId).map(current -> {
      JsonObject row = current.orElseGet(() -> new JsonObject().put("placed", 0).put("confirmed", 0));
      rows.put(orderId, row.put(field, row.getInteger(field) + 1));
      return null;
    });
  }
}
