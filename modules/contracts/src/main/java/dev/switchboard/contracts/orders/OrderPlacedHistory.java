package dev.switchboard.contracts.orders;

import dev.switchboard.contracts.Upcaster;

import java.util.Currency;

/** How {@code OrderPlaced} changed, one upcaster per step: registered in {@code EventUpcasters}. */
public final class OrderPlacedHistory {

  private OrderPlacedHistory() {
  }

  /**
   * v1 → v2. Before v2 the shop sold in one currency and took no address, so a v1 order is in the
   * shop's currency and has no shipping address.
   *
   * @param shopCurrency the shop's currency (ISO 4217)
   */
  public static Upcaster v1ToV2(String shopCurrency) {
    if (shopCurrency == null || !shopCurrency.matches("[A-Z]{3}") || !isIso4217(shopCurrency)) {
      throw new IllegalArgumentException("the shop's currency must be an ISO 4217 code such as EUR, was " + shopCurrency);
    }
    return data -> data.put("currency", shopCurrency);
  }

  private static boolean isIso4217(String code) {
    return Currency.getAvailableCurrencies().stream().anyMatch(known -> known.getCurrencyCode().equals(code));
  }
}
