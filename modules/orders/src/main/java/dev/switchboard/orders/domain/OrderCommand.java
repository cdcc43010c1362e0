package dev.switchboard.orders.domain;

import dev.switchboard.contracts.orders.OrderLine;

import java.util.List;

/** What may be asked of an order. */
public sealed interface OrderCommand {

  String orderId();

  record PlaceOrder(String orderId, String customerId, List<OrderLine> items) implements OrderCommand {
    public PlaceOrder {
      items = List.copyOf(items);
    }
  }

  record ConfirmOrder(String orderId) implements OrderCommand {
  }

  record CancelOrder(String orderId, String reason) implements OrderCommand {
  }
}
