package dev.switchboard.contracts.payments;

import dev.switchboard.contracts.Upcaster;

/** How {@code PaymentDeclined} changed, one upcaster per step: registered in {@code EventUpcasters}. */
public final class PaymentDeclinedHistory {

  /** How the only rule payments had before v2 worded its declines. */
  static final String OVER_THE_LIMIT = "is over the limit of";

  private PaymentDeclinedHistory() {
  }

  /**
   * v1 → v2: the code read from the text. Payments' only rule before v2 was the limit, and its text
   * says so; any other text names no rule we know.
   */
  public static final Upcaster V1_TO_V2 = data -> {
    String reason = data.getValue("reason") instanceof String text ? text : "";
    DeclineCode code = reason.contains(OVER_THE_LIMIT) ? DeclineCode.LIMIT_EXCEEDED : DeclineCode.UNSPECIFIED;
    return data.put("reasonCode", code.name());
  };
}
