package dev.switchboard.inventory.api;

import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inventory module's settings ({@code inventory.*}): the shop's catalog.
 *
 * @param lowStockThreshold available units under which {@code InventoryLow} is raised
 * @param initialStock      units on hand per product before any order; a product not listed is unknown
 * @param prices            the catalog price of each product stocked, what its orders must be priced at
 */
public record InventorySettings(int lowStockThreshold, Map<String, Integer> initialStock,
                                Map<String, BigDecimal> prices) {

  private static final BigDecimal MAX_PRICE = new BigDecimal("1000000000");

  public InventorySettings {
    initialStock = Map.copyOf(initialStock);
    prices = Map.copyOf(prices);
    for (String productId : initialStock.keySet()) {
      if (!prices.containsKey(productId)) {
        throw new IllegalArgumentException("inventory.prices." + productId + " is missing: every product stocked"
            + " (inventory.initialStock) needs a price");
      }
    }
  }

  /** Reads {@code inventory}, every key of it ({@code config/default.json} gives each its default). */
  public static InventorySettings from(JsonObject inventory) {
    ConfigSection section = ConfigSection.of("inventory", inventory);
    Map<String, Integer> stock = new LinkedHashMap<>();
    JsonObject configured = section.object("initialStock");
    for (String productId : configured.fieldNames()) {
      Object units = configured.getValue(productId);
      if (!(units instanceof Number number) || number.intValue() < 0) {
        throw new IllegalArgumentException("inventory.initialStock." + productId + " must be a whole number >= 0");
      }
      stock.put(productId, number.intValue());
    }
    Map<String, BigDecimal> prices = new LinkedHashMap<>();
    JsonObject priced = section.object("prices");
    for (String productId : priced.fieldNames()) {
      prices.put(productId, price(productId, priced.getValue(productId)));
    }
    return new InventorySettings(section.integer("lowStockThreshold"), stock, prices);
  }

  private static BigDecimal price(String productId, Object configured) {
    BigDecimal price;
    try {
      price = new BigDecimal(String.valueOf(configured));
    } catch (NumberFormatException notANumber) {
      price = null;
    }
    if (!(configured instanceof Number || configured instanceof String) || price == null || price.signum() <= 0
        || price.compareTo(MAX_PRICE) > 0 || price.stripTrailingZeros().scale() > 2) {
      throw new IllegalArgumentException("inventory.prices." + productId
          + " must be a positive amount with at most 2 decimals, was " + configured);
    }
    return price;
  }
}
