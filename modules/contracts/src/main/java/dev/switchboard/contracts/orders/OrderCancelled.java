package dev.switchboard.contracts.orders;

/** The order will not be fulfilled; {@code reason} says why, in words a customer can read. */
public record OrderCancelled(String orderId, String customerId, String reason) {
}
