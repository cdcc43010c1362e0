package dev.switchboard.inventory.api;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inventory module's settings ({@code inventory.*}).
 *
 * @param lowStockThreshold available units under which {@code InventoryLow} is raised
 * @param initialStock      units on hand per product before any order; a product not listed is unknown
 */
public record InventorySettings(int lowStockThreshold, Map<String, Integer> initialStock) {

  public InventorySettings {
    initialStock = Map.copyOf(initialStock);
  }

  public static InventorySettings from(JsonObject inventory) {
    Map<String, Integer> stock = new LinkedHashMap<>();
    JsonObject configured = inventory.getJsonObject("initialStock", new JsonObject());
    for (String productId : configured.fieldNames()) {
      Object units = configured.getValue(productId);
      if (!(units instanceof Number number) || number.intValue() < 0) {
        throw new IllegalArgumentException("inventory.initialStock." + productId + " must be a whole number >= 0");
      }
      stock.put(productId, number.intValue());
    }
    return new InventorySettings(inventory.getInteger("lowStockThreshold", 100), stock);
  }
}
