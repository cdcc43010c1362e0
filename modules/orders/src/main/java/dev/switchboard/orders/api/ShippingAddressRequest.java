package dev.switchboard.orders.api;

import dev.switchboard.contracts.orders.ShippingAddress;
import dev.switchboard.orders.api.InvalidRequest.Problem;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the optional {@code shippingAddress} of {@code POST /orders}:
 * {@code {recipient, street, city, postalCode?, country}}, {@code country} an ISO 3166-1 alpha-2
 * code. The limits are those of {@code OrderPlaced} v2's schema, so that an address accepted here is
 * one the event can carry.
 */
final class ShippingAddressRequest {

  static final String FIELD = "shippingAddress";
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  private ShippingAddressRequest() {
  }

  /** The address given; null if none was, or if it has problems (added to {@code problems}). */
  static ShippingAddress parse(Object raw, List<Problem> problems) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof JsonObject address)) {
      problems.add(new Problem(FIELD, "must be an object"));
      return null;
    }
    int before = problems.size();
    String recipient = RequiredText.check(address.getValue("recipient"), FIELD + ".recipient", 200, problems);
    String street = RequiredText.check(address.getValue("street"), FIELD + ".street", 200, problems);
    String city = RequiredText.check(address.getValue("city"), FIELD + ".city", 100, problems);
    String postalCode = address.getValue("postalCode") == null ? null
        : RequiredText.check(address.getValue("postalCode"), FIELD + ".postalCode", 20, problems);
    String country = country(address.getValue("country"), problems);
    return problems.size() == before ? new ShippingAddress(recipient, street, city, postalCode, country) : null;
  }

  /** The address as the idempotency fingerprint sees it. */
  static JsonObject canonical(ShippingAddress address) {
    return new JsonObject().put("recipient", address.recipient()).put("street", address.street())
        .put("city", address.city()).put("postalCode", address.postalCode()).put("country", address.country());
  }

  private static String country(Object raw, List<Problem> problems) {
    String field = FIELD + ".country";
    String code = RequiredText.check(raw, field, 2, problems);
    if (code != null && !COUNTRIES.contains(code)) {
      problems.add(new Problem(field, "must be an ISO 3166-1 alpha-2 country code in capitals, such as DE"));
      return null;
    }
    return code;
  }
}
