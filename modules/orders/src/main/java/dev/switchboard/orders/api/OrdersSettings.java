package dev.switchboard.orders.api;

import io.vertx.core.json.JsonObject;

/**
 * The orders module's settings ({@code orders.*}): its only read of configuration.
 *
 * @param maxItems            the most lines one order may have
 * @param commandRetries      attempts at a command that meets a concurrent write
 */
public record OrdersSettings(int maxItems, int commandRetries) {

  public static OrdersSettings from(JsonObject orders) {
    return new OrdersSettings(orders.getInteger("maxItems", 100), orders.getInteger("commandRetries", 5));
  }
}
