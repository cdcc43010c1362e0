package dev.switchboard.orders.domain;

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
}
