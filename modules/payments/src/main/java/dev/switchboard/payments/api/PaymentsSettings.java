package dev.switchboard.payments.api;

import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;

/**
 * The payments module's settings ({@code payments.*}).
 *
 * @param maxAmount the largest order total that is authorised; anything over it is declined
 */
public record PaymentsSettings(BigDecimal maxAmount) {

  /** Reads {@code payments}, every key of it ({@code config/default.json} gives each its default). */
  public static PaymentsSettings from(JsonObject payments) {
    return new PaymentsSettings(new BigDecimal(ConfigSection.of("payments", payments).number("maxAmount").toString()));
  }
}
