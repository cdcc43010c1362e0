package dev.switchboard.contracts.payments;

import java.math.BigDecimal;

/** The order's total may not be charged; {@code reason} says why. */
public record PaymentDeclined(String orderId, BigDecimal amount, String reason) {
}
