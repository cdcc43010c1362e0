package dev.switchboard.payments.domain;

import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.contracts.payments.DeclineCode;
import dev.switchboard.contracts.payments.PaymentDeclined;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static dev.switchboard.payments.domain.PaymentScenario.ORDER;
import static dev.switchboard.payments.domain.PaymentScenario.givenALimitOf;

/** The authorisation rule: a total up to the limit is authorised, anything over it declined with a reason. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PaymentPolicyTest {

  @Test
  void a_total_under_the_limit_is_authorised() {
    givenALimitOf("10000")
        .whenAuthorising("25.50")
        .then(new PaymentAuthorized(ORDER, new BigDecimal("25.50")));
  }

  @Test
  void a_total_of_exactly_the_limit_is_authorised() {
    givenALimitOf("10000")
        .whenAuthorising("10000")
        .then(new PaymentAuthorized(ORDER, new BigDecimal("10000")));
  }

  @Test
  void a_total_equal_to_the_limit_written_with_decimals_is_authorised() {
    givenALimitOf("10000")
        .whenAuthorising("10000.00")
        .then(new PaymentAuthorized(ORDER, new BigDecimal("10000.00")));
  }

  @Test
  void a_total_a_cent_over_the_limit_is_declined_saying_by_how_much_it_is_over() {
    givenALimitOf("10000")
        .whenAuthorising("10000.01")
        .then(new PaymentDeclined(ORDER, new BigDecimal("10000.01"),
            "payment declined: total 10000.01 is over the limit of 10000", DeclineCode.LIMIT_EXCEEDED));
  }

  @Test
  void the_reason_writes_amounts_in_plain_digits() {
    givenALimitOf("1E+4")
        .whenAuthorising("2E+5")
        .then(new PaymentDeclined(ORDER, new BigDecimal("2E+5"),
            "payment declined: total 200000 is over the limit of 10000", DeclineCode.LIMIT_EXCEEDED));
  }
}
