package dev.switchboard.inventory.domain;

import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.payments.PaymentDeclined;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * given / when / then over the pure stock rules ({@link Stock}, {@link Reservation}), no database:
 *
 * <pre>{@code
 * given(new StockReserved(ORDER, List.of(line("sku-1", 2))))
 *     .withStock("sku-1", 8)
 *     .when(new PaymentDeclined(ORDER, AMOUNT, "over the limit", LIMIT_EXCEEDED))
 *     .then(new StockReleased(ORDER, List.of(line("sku-1", 2)), "over the limit"))
 *     .leaving("sku-1", 10);
 * }</pre>
 *
 * The givens are the events of the order's inventory stream (none: nothing decided yet) and the
 * units available per product (a product not given is unknown).
 */
final class StockScenario {

  static final String ORDER = "order-1";

  private final List<Record> history;
  private final Map<String, Integer> available = new LinkedHashMap<>();
  private int threshold = 5;

  private StockScenario(List<Record> history) {
    this.history = history;
  }

  static StockScenario given(Record... inventoryEvents) {
    return new StockScenario(List.of(inventoryEvents));
  }

  static StockLine line(String productId, int quantity) {
    return new StockLine(productId, quantity);
  }

  StockScenario withStock(String productId, int units) {
    available.put(productId, units);
    return this;
  }

  StockScenario withThreshold(int units) {
    threshold = units;
    return this;
  }

  /** An order of these lines is placed: inventory reserves it, or says it cannot. */
  Then whenReserving(StockLine... wanted) {
    return new Then(Stock.reserve(ORDER, List.of(wanted), Map.copyOf(available), threshold));
  }

  /** The order's payment is declined: inventory gives back what it reserved, if anything. */
  Then when(PaymentDeclined declined) {
    return new Then(Stock.release(declined.orderId(), Reservation.replay(history), Map.copyOf(available),
        declined.reason()));
  }

  static final class Then {
    private final StockDecision decision;

    private Then(StockDecision decision) {
      this.decision = decision;
    }

    /** The event for the order's stream, then any {@code InventoryLow}, exactly these. */
    Then then(Record... expected) {
      assertThat(decision).as("a decision").isNotNull();
      List<Record> events = new ArrayList<>();
      events.add(decision.orderEvent());
      events.addAll(decision.lowStock());
      assertThat(events).containsExactly(expected);
      return this;
    }

    /** The units available afterwards, for exactly the products the decision touched. */
    Then leaving(Object... productsAndUnits) {
      Map<String, Integer> expected = new LinkedHashMap<>();
      for (int i = 0; i < productsAndUnits.length; i += 2) {
        expected.put((String) productsAndUnits[i], (Integer) productsAndUnits[i + 1]);
      }
      assertThat(decision.newLevels()).as("the new stock levels").isEqualTo(expected);
      return this;
    }

    /** Nothing to decide: no event, no change of stock. */
    void thenNothing() {
      assertThat(decision).as("no decision").isNull();
    }
  }
}
