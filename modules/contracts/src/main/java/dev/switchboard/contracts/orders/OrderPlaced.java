package dev.switchboard.contracts.orders;

import java.math.BigDecimal;
import java.util.List;

/** A customer placed an order; it is pending until stock and payment say yes or no. */
public record OrderPlaced(String orderId, String customerId, List<OrderLine> items, BigDecimal total) {
}
