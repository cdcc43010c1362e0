package dev.switchboard.inventory.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.inventory.ProductPriced;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.ModuleStore;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Makes the catalog's prices known the event-driven way: at start, every product whose price is
 * not yet in the log, or is in it at another price, gets a {@code ProductPriced} event on its
 * product stream. Orders learns prices from these events only; inventory's own record of what it
 * published ({@code inventory-prices} documents) is written in the same transaction, so a price is
 * published once however often nodes start, and two nodes starting together publish it once.
 */
public final class PriceList {

  static final String COLLECTION = "inventory-prices";
  private static final Logger LOG = LoggerFactory.getLogger(PriceList.class);

  private final Vertx vertx;
  private final ModuleStore store;
  private final EventFactory events;
  private final RetryPolicy retry;
  private final Map<String, BigDecimal> prices;

  /** @param retry how often, and how patiently, a price the store could not take now is tried again */
  public PriceList(Vertx vertx, ModuleStore store, EventFactory events, RetryPolicy retry,
                   Map<String, BigDecimal> prices) {
    this.vertx = vertx;
    this.store = store;
    this.events = events;
    this.retry = retry;
    this.prices = Map.copyOf(prices);
  }

  /**
   * Publishes every price that changed since it was last published, one product after the other: a
   * start need not crowd the store's write queue.
   */
  public Future<Void> publishChanges() {
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, BigDecimal> price : prices.entrySet()) {
      chain = chain.compose(v -> publishIfChanged(price.getKey(), price.getValue(), 1));
    }
    return chain;
  }

  /** A store that is busy or briefly away (a full write queue at start) is tried again, up to a bound. */
  private Future<Void> publishIfChanged(String productId, BigDecimal price, int attempt) {
    return publishIfChanged(productId, price).recover(failure ->
        failure instanceof StoreUnavailable && attempt < retry.maxAttempts()
            ? vertx.timer(retry.backoffAfter(attempt)).compose(v -> publishIfChanged(productId, price, attempt + 1))
            : Future.failedFuture(failure));
  }

  private Future<Void> publishIfChanged(String productId, BigDecimal price) {
    return store.document(COLLECTION, productId).compose(published -> {
      boolean same = published.map(document -> new BigDecimal(document.body().getString("unitPrice")).compareTo(price) == 0)
          .orElse(false);
      if (same) {
        return Future.succeededFuture();
      }
      long revision = published.map(document -> document.revision()).orElse(ExpectedVersion.NONE);
      UnitOfWork work = UnitOfWork.of(new StreamAppend(Streams.of(StockKeeping.MODULE, productId), ExpectedVersion.ANY,
              List.of(events.create(EventCatalog.PRODUCT_PRICED, productId, new ProductPriced(productId, price),
                  new EventFactory.Cause(productId, null)))))
          .and(new DocumentWrite(COLLECTION, productId, revision,
              new JsonObject().put("productId", productId).put("unitPrice", price.toPlainString())));
      return store.commit(work).<Void>mapEmpty()
          .onSuccess(v -> LOG.info("published the price of {}: {}", productId, price.toPlainString()))
          // another node published it at the same moment: once is enough
          .recover(failure -> failure instanceof ConcurrencyConflict ? Future.succeededFuture() : Future.failedFuture(failure));
    });
  }
}
