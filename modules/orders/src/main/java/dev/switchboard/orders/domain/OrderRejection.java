package dev.switchboard.orders.domain;

import java.math.BigDecimal;

/** A business "no" to a command: nothing is appended, and the caller is told why. */
public sealed interface OrderRejection {

  String reason();

  record AlreadyPlaced(String orderId) implements OrderRejection {
    public String reason() {
      return "order " + orderId + " exists already";
    }
  }

  record UnknownOrder(String orderId) implements OrderRejection {
    public String reason() {
      return "there is no order " + orderId;
    }
  }

  record AlreadyFinal(String orderId, OrderStatus status) implements OrderRejection {
    public String reason() {
      return "order " + orderId + " is " + status + " already";
    }
  }

  /** A payment authorised for an amount other than the order's total: the order is not confirmed on it. */
  record PaidOtherThanTotal(String orderId, BigDecimal paid, BigDecimal total) implements OrderRejection {
    public String reason() {
      return "order " + orderId + " totals " + total.toPlainString() + ", but the payment authorised is "
          + paid.toPlainString();
    }
  }
}
