package dev.switchboard.payments.domain;

import dev.switchboard.contracts.payments.DeclineCode;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.contracts.payments.PaymentDeclined;

import java.math.BigDecimal;

/** The authorisation rule: deterministic, so that people and tests can drive both paths. */
public final class PaymentPolicy {

  private PaymentPolicy() {
  }

  /** A "no" is an event too. */
  public static Record authorise(String orderId, BigDecimal amount, BigDecimal maxAmount) {
    if (amount.compareTo(maxAmount) > 0) {
      return new PaymentDeclined(orderId, amount,
          "payment declined: total " + amount.toPlainString() + " is over the limit of " + maxAmount.toPlainString(),
          DeclineCode.LIMIT_EXCEEDED);
    }
    return new PaymentAuthorized(orderId, amount);
  }
}
