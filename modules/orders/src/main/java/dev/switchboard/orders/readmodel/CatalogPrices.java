package dev.switchboard.orders.readmodel;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.runtime.projection.ReadModel;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.StoreReads;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.Streams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shop's prices as orders knows them: the {@code catalog_prices} read model, a row per product
 * ({@code {productId, unitPrice}}), from inventory's {@code ProductPriced} events, the last price
 * of each product winning. Orders prices every order from it and never from the request.
 */
public final class CatalogPrices {

  public static final String NAME = "catalog_prices";
  /** The module whose product streams carry the prices. */
  private static final String PRODUCER = EventCatalog.PRODUCT_PRICED.module();

  private CatalogPrices() {
  }

  public static ReadModel readModel() {
    return ReadModel.named(NAME)
        .on(EventCatalog.PRODUCT_PRICED, (event, rows) -> {
          rows.put(event.data().productId(), new JsonObject().put("productId", event.data().productId())
              .put("unitPrice", asMoney(event.data().unitPrice()).toPlainString()));
          return Future.succeededFuture();
        })
        .build();
  }

  /**
   * The known prices of these products; a product absent has no price (it is not in the catalog).
   * A product the read model does not have yet (a node that has just started, whose projection is
   * still catching up) is looked up in its own stream, as the order view reads its own writes.
   */
  public static Future<Map<String, BigDecimal>> of(StoreReads store, EventUpcasters upcasters,
                                                   Collection<String> productIds) {
    List<String> distinct = productIds.stream().distinct().toList();
    List<Future<Optional<BigDecimal>>> prices = distinct.stream().map(productId -> priceOf(store, upcasters, productId)).toList();
    return Future.all(prices).map(all -> {
      Map<String, BigDecimal> known = new LinkedHashMap<>();
      for (int i = 0; i < distinct.size(); i++) {
        String productId = distinct.get(i);
        prices.get(i).result().ifPresent(price -> known.put(productId, price));
      }
      return known;
    });
  }

  private static Future<Optional<BigDecimal>> priceOf(StoreReads store, EventUpcasters upcasters,
                                                        String productId) {
    return store.readModels().row(NAME, productId)
        .recover(failure -> failure instanceof ProjectionMoved // not registered yet: nothing known yet
            ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure))
        .compose(row -> row.isPresent()
            ? Future.succeededFuture(row.map(found -> new BigDecimal(found.getString("unitPrice"))))
            : lastPublished(store, upcasters, productId));
  }

  private static Future<Optional<BigDecimal>> lastPublished(StoreReads store, EventUpcasters upcasters,
                                                              String productId) {
    return store.readStream(Streams.of(PRODUCER, productId)).map(events -> {
      Optional<BigDecimal> last = Optional.empty();
      for (StoredEvent event : events) {
        if (event.type().equals(EventCatalog.PRODUCT_PRICED.name())) {
          last = Optional.of(asMoney(event.data(upcasters, EventCatalog.PRODUCT_PRICED).unitPrice()));
        }
      }
      return last;
    });
  }

  /** An amount of money, written as one: 10.00, whatever JSON made of it on the way. */
  private static BigDecimal asMoney(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_EVEN);
  }
}
