package dev.switchboard.inventory.domain;

import dev.switchboard.contracts.inventory.InventoryLow;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a stock decision: the event for the order's stream, the new available units of
 * each product it touched, and any product that fell under its threshold.
 */
public record StockDecision(Record orderEvent, Map<String, Integer> newLevels, List<InventoryLow> lowStock) {

  public StockDecision {
    newLevels = Map.copyOf(newLevels);
    lowStock = List.copyOf(lowStock);
  }
}
