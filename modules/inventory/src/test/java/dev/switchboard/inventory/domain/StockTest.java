package dev.switchboard.inventory.domain;

import dev.switchboard.contracts.inventory.InventoryLow;
import dev.switchboard.contracts.inventory.StockReleased;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.inventory.StockUnavailable;
import dev.switchboard.contracts.payments.DeclineCode;
import dev.switchboard.contracts.payments.PaymentDeclined;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.switchboard.inventory.domain.StockScenario.ORDER;
import static dev.switchboard.inventory.domain.StockScenario.given;
import static dev.switchboard.inventory.domain.StockScenario.line;
import static org.assertj.core.api.Assertions.assertThat;

/** The stock rules: reserve all of an order or none of it, release what was reserved, warn on low stock. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StockTest {

  private static final BigDecimal AMOUNT = new BigDecimal("12000");
  private static final String DECLINED = "payment declined: total 12000 is over the limit of 10000";

  @Test
  void every_line_of_an_order_is_reserved_and_taken_from_the_stock() {
    given().withStock("sku-1", 100).withStock("sku-2", 50)
        .whenReserving(line("sku-1", 2), line("sku-2", 1))
        .then(new StockReserved(ORDER, List.of(line("sku-1", 2), line("sku-2", 1))))
        .leaving("sku-1", 98, "sku-2", 49);
  }

  @Test
  void two_lines_of_one_product_are_reserved_as_their_sum() {
    given().withStock("sku-1", 100)
        .whenReserving(line("sku-1", 2), line("sku-1", 3))
        .then(new StockReserved(ORDER, List.of(line("sku-1", 5))))
        .leaving("sku-1", 95);
  }

  @Test
  void the_last_units_of_a_product_can_be_reserved() {
    given().withStock("sku-1", 3).withThreshold(0)
        .whenReserving(line("sku-1", 3))
        .then(new StockReserved(ORDER, List.of(line("sku-1", 3))))
        .leaving("sku-1", 0);
  }

  @Test
  void an_order_of_more_than_is_available_is_unavailable_naming_the_product_wanted_and_available() {
    given().withStock("sku-1", 1)
        .whenReserving(line("sku-1", 2))
        .then(new StockUnavailable(ORDER, List.of("sku-1"), "stock unavailable: sku-1: 2 wanted, 1 available"))
        .leaving();
  }

  @Test
  void lines_of_one_product_are_short_together_even_when_each_alone_would_fit() {
    given().withStock("sku-1", 4)
        .whenReserving(line("sku-1", 2), line("sku-1", 3))
        .then(new StockUnavailable(ORDER, List.of("sku-1"), "stock unavailable: sku-1: 5 wanted, 4 available"))
        .leaving();
  }

  @Test
  void a_product_that_is_not_stocked_is_unavailable() {
    given().withStock("sku-1", 100)
        .whenReserving(line("sku-9", 1))
        .then(new StockUnavailable(ORDER, List.of("sku-9"), "stock unavailable: sku-9 is not a product we stock"))
        .leaving();
  }

  @Test
  void one_short_product_makes_the_whole_order_unavailable_and_nothing_is_taken() {
    given().withStock("sku-1", 100).withStock("sku-2", 1)
        .whenReserving(line("sku-1", 5), line("sku-2", 2), line("sku-9", 1))
        .then(new StockUnavailable(ORDER, List.of("sku-2", "sku-9"),
            "stock unavailable: sku-2: 2 wanted, 1 available; sku-9 is not a product we stock"))
        .leaving();
  }

  @Test
  void stock_falling_under_the_threshold_raises_inventory_low() {
    given().withStock("sku-1", 10).withStock("sku-2", 100).withThreshold(5)
        .whenReserving(line("sku-1", 6), line("sku-2", 1))
        .then(new StockReserved(ORDER, List.of(line("sku-1", 6), line("sku-2", 1))),
            new InventoryLow("sku-1", 4, 5))
        .leaving("sku-1", 4, "sku-2", 99);
  }

  @Test
  void stock_falling_from_exactly_the_threshold_to_under_it_raises_inventory_low() {
    given().withStock("sku-1", 5).withThreshold(5)
        .whenReserving(line("sku-1", 1))
        .then(new StockReserved(ORDER, List.of(line("sku-1", 1))), new InventoryLow("sku-1", 4, 5))
        .leaving("sku-1", 4);
  }

  @Test
  void stock_reaching_exactly_the_threshold_is_not_low() {
    given().withStock("sku-1", 10).withThreshold(5)
        .whenReserving(line("sku-1", 5))
        .then(new StockReserved(ORDER, List.of(line("sku-1", 5))))
        .leaving("sku-1", 5);
  }

  @Test
  void stock_already_under_the_threshold_does_not_raise_inventory_low_again() {
    given().withStock("sku-1", 4).withThreshold(5)
        .whenReserving(line("sku-1", 1))
        .then(new StockReserved(ORDER, List.of(line("sku-1", 1))))
        .leaving("sku-1", 3);
  }

  @Test
  void a_declined_payment_releases_the_reservation_and_restores_the_stock() {
    given(new StockReserved(ORDER, List.of(line("sku-1", 2), line("sku-2", 1))))
        .withStock("sku-1", 98).withStock("sku-2", 49)
        .when(new PaymentDeclined(ORDER, AMOUNT, DECLINED, DeclineCode.LIMIT_EXCEEDED))
        .then(new StockReleased(ORDER, List.of(line("sku-1", 2), line("sku-2", 1)), DECLINED))
        .leaving("sku-1", 100, "sku-2", 50);
  }

  @Test
  void reserving_then_releasing_leaves_the_stock_as_it_was() {
    Map<String, Integer> before = Map.of("sku-1", 10, "sku-2", 7);
    StockDecision reserved = Stock.reserve(ORDER, List.of(line("sku-1", 6), line("sku-2", 7), line("sku-1", 1)),
        before, 5);
    Reservation reservation = Reservation.replay(List.of(reserved.orderEvent()));

    StockDecision released = Stock.release(ORDER, reservation, reserved.newLevels(), DECLINED);

    assertThat(reserved.newLevels()).isEqualTo(Map.of("sku-1", 3, "sku-2", 0));
    assertThat(released.newLevels()).isEqualTo(before);
    assertThat(released.lowStock()).isEmpty();
  }

  @Test
  void a_declined_payment_of_an_order_with_no_reservation_releases_nothing() {
    given()
        .withStock("sku-1", 100)
        .when(new PaymentDeclined(ORDER, AMOUNT, DECLINED, DeclineCode.LIMIT_EXCEEDED))
        .thenNothing();
  }

  @Test
  void a_declined_payment_of_an_order_that_was_unavailable_releases_nothing() {
    given(new StockUnavailable(ORDER, List.of("sku-9"), "stock unavailable: sku-9 is not a product we stock"))
        .withStock("sku-1", 100)
        .when(new PaymentDeclined(ORDER, AMOUNT, DECLINED, DeclineCode.LIMIT_EXCEEDED))
        .thenNothing();
  }

  @Test
  void a_reservation_is_released_only_once() {
    given(new StockReserved(ORDER, List.of(line("sku-1", 2))),
        new StockReleased(ORDER, List.of(line("sku-1", 2)), DECLINED))
        .withStock("sku-1", 100)
        .when(new PaymentDeclined(ORDER, AMOUNT, DECLINED, DeclineCode.LIMIT_EXCEEDED))
        .thenNothing();
  }

  @Test
  void a_reservation_is_what_its_events_made_it_and_counts_them() {
    assertThat(Reservation.replay(List.of())).isEqualTo(Reservation.NONE);
    assertThat(Reservation.replay(List.of(new StockReserved(ORDER, List.of(line("sku-1", 2))))))
        .isEqualTo(new Reservation(Reservation.Status.RESERVED, List.of(line("sku-1", 2)), 1));
    assertThat(Reservation.replay(List.of(
        new StockReserved(ORDER, List.of(line("sku-1", 2))),
        new StockReleased(ORDER, List.of(line("sku-1", 2)), DECLINED))))
        .isEqualTo(new Reservation(Reservation.Status.RELEASED, List.of(line("sku-1", 2)), 2));
    assertThat(Reservation.replay(List.of(new StockUnavailable(ORDER, List.of("sku-9"), "unknown"))))
        .isEqualTo(new Reservation(Reservation.Status.UNAVAILABLE, List.of(), 1));
  }
}
