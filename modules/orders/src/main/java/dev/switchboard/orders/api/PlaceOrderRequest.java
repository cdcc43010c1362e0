package dev.switchboard.orders.api;

import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.ShippingAddress;
import dev.switchboard.orders.api.InvalidRequest.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of {@code POST /orders}:
 * {@code {customerId, items:[{productId, quantity, unitPrice?}], shippingAddress?}}.
 * A line's {@code unitPrice} may be left out (null here): the order is priced from the catalog
 * either way, and a price given must be the catalog's.
 * Every problem is reported at once, each with the field it concerns, so a client fixes its request
 * in one go.
 */
public record PlaceOrderRequest(String customerId, List<OrderLine> items, ShippingAddress shippingAddress) {

  /** A request without a shipping address. */
  public PlaceOrderRequest(String customerId, List<OrderLine> items) {
    this(customerId, items, null);
  }

  static final int MAX_ID_LENGTH = 100;
  static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("1000000000");

  /**
   * @throws InvalidRequest listing every problem found
   */
  public static PlaceOrderRequest parse(JsonObject body, OrdersSettings limits) {
    int maxItems = limits.maxItems();
    List<Problem> problems = new ArrayList<>();
    String customerId = RequiredText.check(body.getValue("customerId"), "customerId", MAX_ID_LENGTH, problems);
    List<OrderLine> items = new ArrayList<>();
    Object rawItems = body.getValue("items");
    if (rawItems == null) {
      problems.add(new Problem("items", "is required"));
    } else if (!(rawItems instanceof JsonArray list)) {
      problems.add(new Problem("items", "must be an array"));
    } else if (list.isEmpty()) {
      problems.add(new Problem("items", "must hold at least one item"));
    } else if (list.size() > maxItems) {
      problems.add(new Problem("items", "must hold at most " + maxItems + " items, has " + list.size()));
    } else {
      for (int i = 0; i < list.size(); i++) {
        OrderLine line = item(list.getValue(i), "items[" + i + "]", limits.maxQuantityPerLine(), problems);
        if (line != null) {
          items.add(line);
        }
      }
    }
    long units = items.stream().mapToLong(OrderLine::quantity).sum();
    if (units > limits.maxUnitsPerOrder()) {
      problems.add(new Problem("items", "must ask for at most " + limits.maxUnitsPerOrder() + " units in all, asks for "
          + units));
    }
    ShippingAddress address = ShippingAddressRequest.parse(body.getValue(ShippingAddressRequest.FIELD), problems);
    if (!problems.isEmpty()) {
      throw new InvalidRequest("The order is not valid.", problems);
    }
    return new PlaceOrderRequest(customerId, items, address);
  }

  /** The request in a canonical form, to recognise a retried request under the same idempotency key. */
  public JsonObject canonical() {
    JsonArray lines = new JsonArray();
    for (OrderLine line : items) {
      lines.add(new JsonObject().put("productId", line.productId()).put("quantity", line.quantity())
          .put("unitPrice", line.unitPrice() == null ? null : line.unitPrice().stripTrailingZeros().toPlainString()));
    }
    JsonObject canonical = new JsonObject().put("customerId", customerId).put("items", lines);
    if (shippingAddress != null) {
      // only when given: a request without one fingerprints as it did before addresses existed
      canonical.put(ShippingAddressRequest.FIELD, ShippingAddressRequest.canonical(shippingAddress));
    }
    return canonical;
  }

  private static OrderLine item(Object raw, String path, int maxQuantity, List<Problem> problems) {
    if (!(raw instanceof JsonObject item)) {
      problems.add(new Problem(path, "must be an object"));
      return null;
    }
    int before = problems.size();
    String productId = RequiredText.check(item.getValue("productId"), path + ".productId", MAX_ID_LENGTH, problems);
    Integer quantity = quantity(item.getValue("quantity"), path + ".quantity", maxQuantity, problems);
    BigDecimal unitPrice = price(item.getValue("unitPrice"), path + ".unitPrice", problems);
    return problems.size() == before ? new OrderLine(productId, quantity, unitPrice) : null;
  }

  private static Integer quantity(Object raw, String field, int maxQuantity, List<Problem> problems) {
    if (raw == null) {
      problems.add(new Problem(field, "is required"));
    } else if (!(raw instanceof Integer || raw instanceof Long)) {
      problems.add(new Problem(field, "must be a whole number"));
    } else {
      long value = ((Number) raw).longValue();
      if (value < 1) {
        problems.add(new Problem(field, "must be positive"));
      } else if (value > maxQuantity) {
        problems.add(new Problem(field, "must be at most " + maxQuantity));
      } else {
        return (int) value;
      }
    }
    return null;
  }

  /** A price given; null if none was (the catalog's is taken then). */
  private static BigDecimal price(Object raw, String field, List<Problem> problems) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof Number number)) {
      problems.add(new Problem(field, "must be a number"));
      return null;
    }
    if ((number instanceof Double || number instanceof Float) && Double.isInfinite(number.doubleValue())) {
      // a JSON number too large for a double (1e400) is read as an infinity, which BigDecimal refuses
      problems.add(new Problem(field, number.doubleValue() > 0
          ? "must be at most " + MAX_UNIT_PRICE.toPlainString() : "must be positive"));
      return null;
    }
    BigDecimal value = new BigDecimal(number.toString());
    if (value.signum() <= 0) {
      problems.add(new Problem(field, "must be positive"));
    } else if (value.compareTo(MAX_UNIT_PRICE) > 0) {
      problems.add(new Problem(field, "must be at most " + MAX_UNIT_PRICE.toPlainString()));
    } else if (value.stripTrailingZeros().scale() > 2) {
      problems.add(new Problem(field, "must have at most 2 decimal places"));
    } else {
      return value;
    }
    return null;
  }
}
