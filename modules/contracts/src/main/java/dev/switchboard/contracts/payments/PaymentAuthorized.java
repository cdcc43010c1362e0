package dev.switchboard.contracts.payments;

import java.math.BigDecimal;

/** The order's total may be charged. */
public record PaymentAuthorized(String orderId, BigDecimal amount) {
}
