package dev.switchboard.orders.domain;

import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.orders.domain.Decision.Accepted;
import dev.switchboard.orders.domain.Decision.Rejected;
import dev.switchboard.orders.domain.OrderCommand.CancelOrder;
import dev.switchboard.orders.domain.OrderCommand.ConfirmOrder;
import dev.switchboard.orders.domain.OrderCommand.PlaceOrder;

import java.math.BigDecimal;
import java.util.List;

/**
 * The order aggregate: {@link #decide} holds every rule, {@link #evolve} only applies what was
 * decided. Both are pure, so the saga, the HTTP path and the tests share them.
 */
public final class Order {

  private Order() {
  }

  public static Decision decide(OrderState state, OrderCommand command) {
    if (command instanceof PlaceOrder place) {
      return place(state, place);
    }
    if (command instanceof ConfirmOrder confirm) {
      if (state.status() == OrderStatus.PENDING && confirm.paid().compareTo(state.total()) != 0) {
        return new Rejected(new OrderRejection.PaidOtherThanTotal(state.orderId(), confirm.paid(), state.total()));
      }
      return finish(state, OrderStatus.CONFIRMED,
          new OrderConfirmed(state.orderId(), state.customerId(), state.total()));
    }
    CancelOrder cancel = (CancelOrder) command;
    return finish(state, OrderStatus.CANCELLED,
        new OrderCancelled(state.orderId(), state.customerId(), cancel.reason()));
  }

  public static OrderState evolve(OrderState state, Record event) {
    if (event instanceof OrderPlaced placed) {
      return new OrderState(placed.orderId(), placed.customerId(), OrderStatus.PENDING, placed.items(),
          placed.total(), null, state.version() + 1);
    }
    if (event instanceof OrderConfirmed) {
      return new OrderState(state.orderId(), state.customerId(), OrderStatus.CONFIRMED, state.items(),
          state.total(), null, state.version() + 1);
    }
    if (event instanceof OrderCancelled cancelled) {
      return new OrderState(state.orderId(), state.customerId(), OrderStatus.CANCELLED, state.items(),
          state.total(), cancelled.reason(), state.version() + 1);
    }
    throw new IllegalArgumentException("not an order event: " + event);
  }

  public static OrderState replay(String orderId, List<? extends Record> history) {
    OrderState state = OrderState.initial(orderId);
    for (Record event : history) {
      state = evolve(state, event);
    }
    return state;
  }

  public static BigDecimal totalOf(List<OrderLine> items) {
    return items.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static Decision place(OrderState state, PlaceOrder place) {
    if (state.status() != OrderStatus.NEW) {
      return new Rejected(new OrderRejection.AlreadyPlaced(place.orderId()));
    }
    return new Accepted(List.of(
        new OrderPlaced(place.orderId(), place.customerId(), place.items(), totalOf(place.items()), place.currency(),
            place.shippingAddress())));
  }

  /** Confirming or cancelling: once only, and a confirmed order cannot be cancelled nor the reverse. */
  private static Decision finish(OrderState state, OrderStatus target, Record event) {
    if (state.status() == OrderStatus.NEW) {
      return new Rejected(new OrderRejection.UnknownOrder(state.orderId()));
    }
    if (state.status() == target) {
      return new Accepted(List.of()); // asked twice: already done, nothing more to say
    }
    if (state.status().isFinal()) {
      return new Rejected(new OrderRejection.AlreadyFinal(state.orderId(), state.status()));
    }
    return new Accepted(List.of(event));
  }
}
