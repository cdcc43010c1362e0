package dev.switchboard.orders.domain;

import dev.switchboard.contracts.orders.OrderLine;

import java.math.BigDecimal;
import java.util.List;

/** An order as its events made it; {@code version} is the number of events in its stream. */
public record OrderState(String orderId, String customerId, OrderStatus status, List<OrderLine> items,
                         BigDecimal total, String reason, long version) {

  public static OrderState initial(String orderId) {
    return new OrderState(orderId, null, OrderStatus.NEW, List.of(), BigDecimal.ZERO, null, 0);
  }
}
