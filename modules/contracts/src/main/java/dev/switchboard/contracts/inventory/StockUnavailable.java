package dev.switchboard.contracts.inventory;

import java.util.List;

/** The order cannot be served: {@code productIds} lists the products short or unknown. */
public record StockUnavailable(String orderId, List<String> productIds, String reason) {

  /** Immutable, as every event record: one decoded event is shared by all the readers on a node. */
  public StockUnavailable {
    productIds = productIds == null ? null : List.copyOf(productIds);
  }
}
