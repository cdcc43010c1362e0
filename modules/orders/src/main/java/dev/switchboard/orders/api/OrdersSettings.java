package dev.switchboard.orders.api;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * The orders module's settings ({@code orders.*}): its only read of configuration.
 *
 * @param maxItems            the most lines one order may have
 * @param commandRetries      attempts at a command that meets a concurrent write
 * @param idempotencyKeyTtl   how long an {@code Idempotency-Key} is honoured; after it the key counts as unused
 */
public record OrdersSettings(int maxItems, int commandRetries, Duration idempotencyKeyTtl) {

  public OrdersSettings {
    if (idempotencyKeyTtl.isNegative() || idempotencyKeyTtl.isZero()) {
      throw new IllegalArgumentException("orders.idempotencyKeyTtlSeconds must be positive");
    }
  }

  public static OrdersSettings from(JsonObject orders) {
    return new OrdersSettings(orders.getInteger("maxItems", 100), orders.getInteger("commandRetries", 5),
        Duration.ofSeconds(orders.getLong("idempotencyKeyTtlSeconds", 86_400L)));
  }
}
