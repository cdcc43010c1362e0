package dev.switchboard.orders.readmodel;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.orders.api.OrdersApi;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.projection.ReadModel;
import dev.switchboard.runtime.projection.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.UnaryOperator;

/**
 * The {@code orders} read model: one row per order, following the order's events in log order,
 * and each change told to browsers on {@code orders.status}.
 */
public final class OrderStatusProjection {

  public static final String NAME = "orders";

  private OrderStatusProjection() {
  }

  public static ReadModel readModel() {
    return ReadModel.named(NAME)
        .rowsBySubject()
        .on(EventCatalog.ORDER_PLACED, (event, rows) -> {
          write(rows, event.subject(), OrderView.placed(event.data(), event.envelope().time()));
          return Future.succeededFuture();
        })
        .on(EventCatalog.ORDER_CONFIRMED, (event, rows) ->
            update(event, rows, view -> OrderView.confirmed(view, event.envelope().time())))
        .on(EventCatalog.ORDER_CANCELLED, (event, rows) ->
            update(event, rows, view -> OrderView.cancelled(view, event.data(), event.envelope().time())))
        .build();
  }

  private static Future<Void> update(Received<?> event, Rows rows, UnaryOperator<JsonObject> change) {
    return rows.get(event.subject()).map(view -> {
      // the log holds an order's placement before its outcome, so the row is there unless the log is broken
      JsonObject current = view.orElseThrow(() -> new IllegalStateException(
          event.envelope().type() + " for order " + event.subject() + ", which the orders read model has not seen placed"));
      write(rows, event.subject(), change.apply(current));
      return null;
    });
  }

  private static void write(Rows rows, String orderId, JsonObject view) {
    rows.put(orderId, view);
    rows.notify(OrdersApi.STATUS, OrderView.statusChange(view));
  }
}
