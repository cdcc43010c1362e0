package dev.switchboard.orders.application;

import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.orders.readmodel.CatalogPrices;
import dev.switchboard.runtime.store.StoreReads;
import io.vertx.core.Future;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The catalog's prices as read a moment ago: every order reads the prices of its products, and
 * prices change only when inventory publishes new ones, so a price read within the last
 * {@link #FRESH_NANOS} is taken as it is rather than read again (one read fewer per order). A new
 * price is charged at most that long after orders has read it; an order priced at the old one in
 * that moment is refused by inventory, which checks the catalog itself, so no money moves at a
 * wrong price. Products without a price are read every time. Confined to the orders verticle's
 * context, like {@link PlacingOrder}.
 */
final class RecentPrices {

  static final long FRESH_NANOS = 1_000_000_000L;
  /** Products remembered at most: beyond it the memory starts again (it is only a shortcut). */
  private static final int MAX_PRODUCTS = 10_000;

  private record Read(BigDecimal price, long atNanos) {
  }

  private final StoreReads store;
  private final EventUpcasters upcasters;
  private final LongSupplier nanoTime;
  private final Map<String, Read> recent = new HashMap<>();

  RecentPrices(StoreReads store, EventUpcasters upcasters) {
    this(store, upcasters, System::nanoTime);
  }

  RecentPrices(StoreReads store, EventUpcasters upcasters, LongSupplier nanoTime) {
    this.store = store;
    this.upcasters = upcasters;
    this.nanoTime = nanoTime;
  }

  /** The prices of these products; a product absent has no price in the catalog. */
  Future<Map<String, BigDecimal>> of(Collection<String> productIds) {
    long now = nanoTime.getAsLong();
    Map<String, BigDecimal> known = new LinkedHashMap<>();
    List<String> toRead = productIds.stream().distinct().filter(productId -> {
      Read read = recent.get(productId);
      if (read != null && now - read.atNanos() < FRESH_NANOS) {
        known.put(productId, read.price());
        return false;
      }
      return true;
    }).toList();
    if (toRead.isEmpty()) {
      return Future.succeededFuture(known);
    }
    return CatalogPrices.of(store, upcasters, toRead).map(read -> {
      if (recent.size() + read.size() > MAX_PRODUCTS) {
        recent.clear();
      }
      read.forEach((productId, price) -> recent.put(productId, new Read(price, now)));
      known.putAll(read);
      return known;
    });
  }
}
