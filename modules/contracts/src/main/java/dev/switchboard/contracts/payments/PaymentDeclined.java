package dev.switchboard.contracts.payments;

import java.math.BigDecimal;

/**
 * The order's total may not be charged; {@code reason} says why in words, and (since version 2)
 * {@code reasonCode} says it for machines.
 */
public record PaymentDeclined(String orderId, BigDecimal amount, String reason, DeclineCode reasonCode) {
}
