package dev.switchboard.contracts.orders;

import java.math.BigDecimal;

/** One line of an order: how many units of a product, at what unit price. */
public record OrderLine(String productId, int quantity, BigDecimal unitPrice) {

  public BigDecimal lineTotal() {
    return unitPrice.multiply(BigDecimal.valueOf(quantity));
  }
}
