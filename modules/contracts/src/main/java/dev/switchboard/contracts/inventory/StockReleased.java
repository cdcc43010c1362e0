package dev.switchboard.contracts.inventory;

import java.util.List;

/** A reservation was given back (compensation), e.g. because payment was declined. */
public record StockReleased(String orderId, List<StockLine> lines, String reason) {

  /** Immutable, as every event record: one decoded event is shared by all the readers on a node. */
  public StockReleased {
    lines = lines == null ? null : List.copyOf(lines);
  }
}
