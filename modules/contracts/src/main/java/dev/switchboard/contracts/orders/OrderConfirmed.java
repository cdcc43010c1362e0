package dev.switchboard.contracts.orders;

import java.math.BigDecimal;

/** Stock is reserved and payment authorised: the order will be fulfilled. */
public record OrderConfirmed(String orderId, String customerId, BigDecimal total) {
}
