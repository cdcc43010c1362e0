package dev.switchboard.orders.api;

import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The orders module's settings ({@code orders.*}): its only read of configuration.
 *
 * @param maxItems           the most lines one order may have
 * @param commandRetries     attempts at a command that meets a concurrent write
 * @param maxQuantityPerLine the most units one line may ask for
 * @param maxUnitsPerOrder   the most units one order may ask for, all lines together: no single
 *                           order can drain the shop
 * @param idempotencyKeyTtl  how long an {@code Idempotency-Key} is honoured; after it the key counts as unused
 * @param currency           the shop's currency (ISO 4217): orders are placed in it, and an order placed
 *                           before events named one ({@code OrderPlaced} v1) is read as in it
 */
public record OrdersSettings(int maxItems, int commandRetries, int maxQuantityPerLine, int maxUnitsPerOrder,
                             Duration idempotencyKeyTtl, String currency) {

  public OrdersSettings {
    if (idempotencyKeyTtl.isNegative() || idempotencyKeyTtl.isZero()) {
      throw new IllegalArgumentException("orders.idempotencyKeyTtlSeconds must be positive");
    }
    try {
      EventUpcasters.forShop(currency);
    } catch (IllegalArgumentException notACurrency) {
      throw new IllegalArgumentException("orders.currency: " + notACurrency.getMessage());
    }
  }

  /** Reads {@code orders}, every key of it ({@code config/default.json} gives each its default). */
  public static OrdersSettings from(JsonObject orders) {
    ConfigSection section = ConfigSection.of("orders", orders);
    return new OrdersSettings(section.integer("maxItems"), section.integer("commandRetries"),
        section.integer("maxQuantityPerLine"), section.integer("maxUnitsPerOrder"),
        Duration.ofSeconds(section.wholeNumber("idempotencyKeyTtlSeconds")), section.text("currency"));
  }
}
