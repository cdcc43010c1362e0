package dev.switchboard.payments.api;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;

/**
 * The payments module's settings ({@code payments.*}).
 *
 * @param maxAmount the largest order total that is authorised; anything over it is declined
 */
public record PaymentsSettings(BigDecimal maxAmount) {

  public static PaymentsSettings from(JsonObject payments) {
    Object max = payments.getValue("maxAmount", 10000);
    if (!(max instanceof Number number)) {
      throw new IllegalArgumentException("payments.maxAmount must be a number, was " + max);
    }
    return new PaymentsSettings(new BigDecimal(number.toString()));
  }
}
