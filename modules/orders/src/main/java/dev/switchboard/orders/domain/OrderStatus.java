package dev.switchboard.orders.domain;

/** Where an order is in its life. {@code NEW} means no order exists under that id yet. */
public enum OrderStatus {
  NEW, PENDING, CONFIRMED, CANCELLED;

  public boolean isFinal() {
    return this == CONFIRMED || this == CANCELLED;
  }
}
