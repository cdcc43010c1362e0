package dev.switchboard.contracts.orders;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.util.List;

/**
 * A customer placed an order; it is pending until stock and payment say yes or no.
 *
 * <p>Version 2: {@code currency} (ISO 4217) says what the prices and the total are in, and
 * {@code shippingAddress} where to deliver, if the customer gave one (null: none given, as for
 * every order placed in version 1).
 */
public record OrderPlaced(String orderId, String customerId, List<OrderLine> items, BigDecimal total,
                          String currency,
                          @JsonInclude(JsonInclude.Include.NON_NULL) ShippingAddress shippingAddress) {

  /** Immutable, as every event record: one decoded event is shared by all the readers on a node. */
  public OrderPlaced {
    items = items == null ? null : List.copyOf(items);
  }
}
