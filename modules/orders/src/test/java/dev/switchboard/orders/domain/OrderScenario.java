package dev.switchboard.orders.domain;

import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * given / when / then over {@link Order#decide} and {@link Order#evolve}, no database:
 *
 * <pre>{@code
 * given(placed).when(new ConfirmOrder(ORDER, TOTAL)).then(new OrderConfirmed(ORDER, CUSTOMER, TOTAL));
 * given().when(new ConfirmOrder(ORDER, TOTAL)).rejectedWith(new UnknownOrder(ORDER));
 * }</pre>
 *
 * Amounts are compared by value ({@code 25.5} equals {@code 25.50}), everything else exactly,
 * types included.
 */
final class OrderScenario {

  private static final RecursiveComparisonConfiguration SAME_EVENT = RecursiveComparisonConfiguration.builder()
      .withStrictTypeChecking(true)
      .withComparatorForType(Comparator.<BigDecimal>naturalOrder(), BigDecimal.class)
      .build();

  private final List<Record> history;

  private OrderScenario(List<Record> history) {
    this.history = history;
  }

  /** The order's events so far; none for an order that does not exist yet. */
  static OrderScenario given(Record... history) {
    return new OrderScenario(List.of(history));
  }

  When when(OrderCommand command) {
    OrderState state = Order.replay(command.orderId(), history);
    return new When(Order.decide(state, command));
  }

  static final class When {
    private final Decision decision;

    private When(Decision decision) {
      this.decision = decision;
    }

    /** The command is accepted and decides exactly these events, in this order (none: a no-op). */
    void then(Record... expected) {
      assertThat(decision).as("the decision").isInstanceOf(Decision.Accepted.class);
      List<Record> events = ((Decision.Accepted) decision).events();
      assertThat(events).as("the events decided").hasSize(expected.length);
      for (int i = 0; i < expected.length; i++) {
        assertThat(events.get(i)).as("event %d", i)
            .usingRecursiveComparison(SAME_EVENT)
            .isEqualTo(expected[i]);
      }
    }

    /** The command is refused, for this reason, and nothing is decided. */
    void rejectedWith(OrderRejection expected) {
      assertThat(decision).as("the decision").isEqualTo(new Decision.Rejected(expected));
    }
  }
}
