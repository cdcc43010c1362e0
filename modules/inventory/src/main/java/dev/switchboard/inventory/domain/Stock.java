package dev.switchboard.inventory.domain;

import dev.switchboard.contracts.inventory.InventoryLow;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReleased;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.inventory.StockUnavailable;
import dev.switchboard.contracts.orders.OrderLine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stock rules, pure: reserve all of an order or none of it; release what was reserved; warn
 * once each time a product's available units cross under the threshold.
 */
public final class Stock {

  private Stock() {
  }

  /**
   * @param wanted    the order's lines (a product may appear on several lines)
   * @param available units available now per product; a product absent from the map is unknown
   */
  public static StockDecision reserve(String orderId, List<StockLine> wanted, Map<String, Integer> available,
                                      int threshold) {
    Map<String, Integer> perProduct = sumPerProduct(wanted);
    List<String> short_ = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (Map.Entry<String, Integer> line : perProduct.entrySet()) {
      Integer onHand = available.get(line.getKey());
      if (onHand == null) {
        short_.add(line.getKey());
        reasons.add(line.getKey() + " is not a product we stock");
      } else if (onHand < line.getValue()) {
        short_.add(line.getKey());
        reasons.add(line.getKey() + ": " + line.getValue() + " wanted, " + onHand + " available");
      }
    }
    if (!short_.isEmpty()) {
      return new StockDecision(
          new StockUnavailable(orderId, short_, "stock unavailable: " + String.join("; ", reasons)),
          Map.of(), List.of());
    }
    Map<String, Integer> levels = new LinkedHashMap<>();
    List<InventoryLow> low = new ArrayList<>();
    for (Map.Entry<String, Integer> line : perProduct.entrySet()) {
      int before = available.get(line.getKey());
      int after = before - line.getValue();
      levels.put(line.getKey(), after);
      if (before >= threshold && after < threshold) {
        low.add(new InventoryLow(line.getKey(), after, threshold));
      }
    }
    return new StockDecision(new StockReserved(orderId, asLines(perProduct)), levels, low);
  }

  /**
   * Refuses an order priced otherwise than the catalog: the stock is kept for orders that pay what
   * the shop asks. Lines of products the catalog does not price are left to {@link #reserve}, which
   * finds them unstocked.
   *
   * @param lines the order's lines as placed, with the prices the order charges
   * @return the refusal, or null if every priced line is at its catalog price
   */
  public static StockDecision refuseWrongPrices(String orderId, List<OrderLine> lines, Map<String, BigDecimal> prices) {
    List<String> products = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (OrderLine line : lines) {
      BigDecimal price = prices.get(line.productId());
      if (price != null && price.compareTo(line.unitPrice()) != 0 && !products.contains(line.productId())) {
        products.add(line.productId());
        reasons.add(line.productId() + " is priced " + price.toPlainString() + ", not " + line.unitPrice().toPlainString());
      }
    }
    if (products.isEmpty()) {
      return null;
    }
    return new StockDecision(new StockUnavailable(orderId, products, "wrong price: " + String.join("; ", reasons)),
        Map.of(), List.of());
  }

  /** Gives a reservation back; nothing to do unless stock is reserved and not yet released. */
  public static StockDecision release(String orderId, Reservation reservation, Map<String, Integer> available,
                                      String reason) {
    if (reservation.status() != Reservation.Status.RESERVED) {
      return null;
    }
    Map<String, Integer> levels = new LinkedHashMap<>();
    for (StockLine line : reservation.lines()) {
      levels.put(line.productId(), available.getOrDefault(line.productId(), 0) + line.quantity());
    }
    return new StockDecision(new StockReleased(orderId, reservation.lines(), reason), levels, List.of());
  }

  private static Map<String, Integer> sumPerProduct(List<StockLine> lines) {
    Map<String, Integer> perProduct = new LinkedHashMap<>();
    for (StockLine line : lines) {
      perProduct.merge(line.productId(), line.quantity(), Integer::sum);
    }
    return perProduct;
  }

  private static List<StockLine> asLines(Map<String, Integer> perProduct) {
    return perProduct.entrySet().stream().map(e -> new StockLine(e.getKey(), e.getValue())).toList();
  }
}
