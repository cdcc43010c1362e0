package dev.switchboard.orders.domain;

import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.orders.domain.OrderCommand.CancelOrder;
import dev.switchboard.orders.domain.OrderCommand.ConfirmOrder;
import dev.switchboard.orders.domain.OrderCommand.PlaceOrder;
import dev.switchboard.orders.domain.OrderRejection.AlreadyFinal;
import dev.switchboard.orders.domain.OrderRejection.AlreadyPlaced;
import dev.switchboard.orders.domain.OrderRejection.UnknownOrder;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static dev.switchboard.orders.domain.OrderScenario.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The order's rules: what each command decides, given the order's history. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderTest {

  private static final String ORDER = "order-1";
  private static final String CUSTOMER = "customer-7";
  private static final List<OrderLine> LINES = List.of(
      new OrderLine("sku-1", 2, new BigDecimal("12.50")),
      new OrderLine("sku-2", 3, new BigDecimal("0.99")),
      new OrderLine("sku-1", 1, new BigDecimal("100")));
  /** 2 × 12.50 + 3 × 0.99 + 1 × 100 */
  private static final BigDecimal TOTAL = new BigDecimal("127.97");

  private static final OrderPlaced PLACED = new OrderPlaced(ORDER, CUSTOMER, LINES, TOTAL, "EUR", null);
  private static final OrderConfirmed CONFIRMED = new OrderConfirmed(ORDER, CUSTOMER, TOTAL);
  private static final OrderCancelled CANCELLED = new OrderCancelled(ORDER, CUSTOMER, "sku-1: 3 wanted, 0 available");

  @Test
  void placing_an_order_records_its_lines_and_a_total_computed_from_them() {
    given()
        .when(new PlaceOrder(ORDER, CUSTOMER, LINES, "EUR", null))
        .then(new OrderPlaced(ORDER, CUSTOMER, LINES, TOTAL, "EUR", null));
  }

  @Test
  void the_total_of_an_order_is_the_sum_of_quantity_times_unit_price_of_its_lines() {
    assertThat(Order.totalOf(LINES)).isEqualByComparingTo("127.97");
    assertThat(Order.totalOf(List.of(new OrderLine("sku-9", 7, new BigDecimal("0.01"))))).isEqualByComparingTo("0.07");
  }

  @Test
  void placing_an_order_that_exists_already_is_rejected() {
    given(PLACED)
        .when(new PlaceOrder(ORDER, CUSTOMER, LINES, "EUR", null))
        .rejectedWith(new AlreadyPlaced(ORDER));
  }

  @Test
  void a_pending_order_is_confirmed_with_its_customer_and_total() {
    given(PLACED)
        .when(new ConfirmOrder(ORDER, TOTAL))
        .then(new OrderConfirmed(ORDER, CUSTOMER, TOTAL));
  }

  @Test
  void a_pending_order_is_not_confirmed_on_a_payment_of_another_amount() {
    given(PLACED)
        .when(new ConfirmOrder(ORDER, new BigDecimal("0.01")))
        .rejectedWith(new OrderRejection.PaidOtherThanTotal(ORDER, new BigDecimal("0.01"), TOTAL));
  }

  @Test
  void confirming_a_confirmed_order_again_decides_nothing() {
    given(PLACED, CONFIRMED)
        .when(new ConfirmOrder(ORDER, TOTAL))
        .then();
  }

  @Test
  void cancelling_a_pending_order_carries_the_reason_given() {
    given(PLACED)
        .when(new CancelOrder(ORDER, "payment declined: total 127.97 is over the limit of 100"))
        .then(new OrderCancelled(ORDER, CUSTOMER, "payment declined: total 127.97 is over the limit of 100"));
  }

  @Test
  void cancelling_a_cancelled_order_again_decides_nothing_even_with_another_reason() {
    given(PLACED, CANCELLED)
        .when(new CancelOrder(ORDER, "another reason"))
        .then();
  }

  @Test
  void a_confirmed_order_cannot_be_cancelled() {
    given(PLACED, CONFIRMED)
        .when(new CancelOrder(ORDER, "payment declined"))
        .rejectedWith(new AlreadyFinal(ORDER, OrderStatus.CONFIRMED));
  }

  @Test
  void a_cancelled_order_cannot_be_confirmed() {
    given(PLACED, CANCELLED)
        .when(new ConfirmOrder(ORDER, TOTAL))
        .rejectedWith(new AlreadyFinal(ORDER, OrderStatus.CANCELLED));
  }

  @Test
  void confirming_an_order_that_was_never_placed_is_rejected_as_unknown() {
    given()
        .when(new ConfirmOrder(ORDER, TOTAL))
        .rejectedWith(new UnknownOrder(ORDER));
  }

  @Test
  void cancelling_an_order_that_was_never_placed_is_rejected_as_unknown() {
    given()
        .when(new CancelOrder(ORDER, "no stock"))
        .rejectedWith(new UnknownOrder(ORDER));
  }

  @Test
  void a_rejection_says_why_in_words() {
    assertThat(new AlreadyFinal(ORDER, OrderStatus.CONFIRMED).reason()).isEqualTo("order order-1 is CONFIRMED already");
    assertThat(new UnknownOrder(ORDER).reason()).isEqualTo("there is no order order-1");
    assertThat(new AlreadyPlaced(ORDER).reason()).isEqualTo("order order-1 exists already");
  }

  @Test
  void replaying_an_orders_events_gives_its_state_and_counts_its_version() {
    OrderState pending = Order.replay(ORDER, List.of(PLACED));
    assertThat(pending).isEqualTo(new OrderState(ORDER, CUSTOMER, OrderStatus.PENDING, LINES, TOTAL, null, 1));

    OrderState cancelled = Order.replay(ORDER, List.of(PLACED, CANCELLED));
    assertThat(cancelled).isEqualTo(
        new OrderState(ORDER, CUSTOMER, OrderStatus.CANCELLED, LINES, TOTAL, CANCELLED.reason(), 2));

    OrderState confirmed = Order.replay(ORDER, List.of(PLACED, CONFIRMED));
    assertThat(confirmed.status()).isEqualTo(OrderStatus.CONFIRMED);
    assertThat(confirmed.reason()).isNull();
    assertThat(confirmed.version()).isEqualTo(2);
  }

  @Test
  void an_order_with_no_events_is_new_at_version_zero() {
    assertThat(Order.replay(ORDER, List.of())).isEqualTo(OrderState.initial(ORDER));
    assertThat(OrderState.initial(ORDER).status()).isEqualTo(OrderStatus.NEW);
    assertThat(OrderState.initial(ORDER).version()).isZero();
  }

  @Test
  void an_event_of_another_module_is_not_part_of_an_orders_history() {
    StockReserved foreign = new StockReserved(ORDER, List.of(new StockLine("sku-1", 1)));

    assertThatThrownBy(() -> Order.evolve(Order.replay(ORDER, List.of(PLACED)), foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an order event");
  }
}
