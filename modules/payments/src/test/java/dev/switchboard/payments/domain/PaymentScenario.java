package dev.switchboard.payments.domain;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * given / when / then over the authorisation rule, no database:
 * {@code givenALimitOf("10000").whenAuthorising("10000.01").then(new PaymentDeclined(...))}.
 */
final class PaymentScenario {

  static final String ORDER = "order-1";

  private final BigDecimal maxAmount;

  private PaymentScenario(BigDecimal maxAmount) {
    this.maxAmount = maxAmount;
  }

  static PaymentScenario givenALimitOf(String maxAmount) {
    return new PaymentScenario(new BigDecimal(maxAmount));
  }

  Then whenAuthorising(String total) {
    return new Then(PaymentPolicy.authorise(ORDER, new BigDecimal(total), maxAmount));
  }

  static final class Then {
    private final Record outcome;

    private Then(Record outcome) {
      this.outcome = outcome;
    }

    void then(Record expected) {
      assertThat(outcome).isEqualTo(expected);
    }
  }
}
