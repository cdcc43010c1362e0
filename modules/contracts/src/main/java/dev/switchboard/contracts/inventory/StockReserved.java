package dev.switchboard.contracts.inventory;

import java.util.List;

/** Every line of the order is set aside until the order is confirmed or its reservation released. */
public record StockReserved(String orderId, List<StockLine> lines) {

  /** Immutable, as every event record: one decoded event is shared by all the readers on a node. */
  public StockReserved {
    lines = lines == null ? null : List.copyOf(lines);
  }
}
