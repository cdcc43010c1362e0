package dev.switchboard.orders.domain;

import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.ShippingAddress;

import java.math.BigDecimal;
import java.util.List;

/** What may be asked of an order. */
public sealed interface OrderCommand {

  String orderId();

  /**
   * @param currency        the shop's currency (ISO 4217), which the prices are in
   * @param shippingAddress where to deliver; null if the customer gave none
   */
  record PlaceOrder(String orderId, String customerId, List<OrderLine> items, String currency,
                    ShippingAddress shippingAddress) implements OrderCommand {
    public PlaceOrder {
      items = List.copyOf(items);
    }
  }

  /** @param paid the amount payments authorised, which must be the order's total */
  record ConfirmOrder(String orderId, BigDecimal paid) implements OrderCommand {
  }

  record CancelOrder(String orderId, String reason) implements OrderCommand {
  }
}
