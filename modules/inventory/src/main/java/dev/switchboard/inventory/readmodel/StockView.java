package dev.switchboard.inventory.readmodel;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.runtime.projection.ReadModel;
import dev.switchboard.runtime.projection.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The {@code stock} read model, one row per product: {@code {productId, initial, reserved,
 * available, updatedAt}}, from the reservations and releases in the log on top of the configured
 * initial stock. For people and pages; inventory decides on its own write-side levels.
 */
public final class StockView {

  public static final String NAME = "stock";

  private StockView() {
  }

  /** @param initialStock the configured stock per product before any reservation */
  public static ReadModel readModel(Map<String, Integer> initialStock) {
    return ReadModel.named(NAME)
        // a row per product: a batch reads the rows of every product its events name at once
        .on(EventCatalog.STOCK_RESERVED, event -> products(event.data().lines()), (event, rows) ->
            change(rows, initialStock, event.data().lines(), +1, event.envelope().time()))
        .on(EventCatalog.STOCK_RELEASED, event -> products(event.data().lines()), (event, rows) ->
            change(rows, initialStock, event.data().lines(), -1, event.envelope().time()))
        .build();
  }

  private static List<String> products(List<StockLine> lines) {
    return lines.stream().map(StockLine::productId).toList();
  }

  private static Future<Void> change(Rows rows, Map<String, Integer> initialStock, List<StockLine> lines, int sign,
                                     String time) {
    Future<Void> chain = Future.succeededFuture();
    for (StockLine line : lines) {
      chain = chain.compose(v -> rows.get(line.productId()).map(current -> {
        int initial = initialStock.getOrDefault(line.productId(), 0);
        long reserved = current.map(row -> row.getLong("reserved")).orElse(0L) + (long) sign * line.quantity();
        rows.put(line.productId(), new JsonObject()
            .put("productId", line.productId())
            .put("initial", initial)
            .put("reserved", reserved)
            .put("available", initial - reserved)
            .put("updatedAt", time));
        return null;
      }));
    }
    return chain;
  }
}
