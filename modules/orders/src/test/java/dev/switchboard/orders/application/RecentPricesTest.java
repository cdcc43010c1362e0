package dev.switchboard.orders.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.inventory.ProductPriced;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** Prices read a moment ago are taken as read; after that moment a new price is read. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecentPricesTest {

  @TempDir
  Path dir;

  private EventStore store;
  private Context context;
  private final AtomicLong now = new AtomicLong();
  private RecentPrices prices;

  @BeforeEach
  void open(Vertx vertx) {
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    prices = new RecentPrices(store, DefaultShop.upcasters(), now::get);
  }

  @AfterEach
  void close() {
    result(store.close());
  }

  @Test
  void a_price_read_a_moment_ago_is_taken_as_read_and_a_new_one_is_charged_once_the_moment_passed() {
    price("sku-1", "10.00");
    assertThat(read("sku-1")).containsEntry("sku-1", new BigDecimal("10.00"));

    price("sku-1", "12.00");
    now.addAndGet(RecentPrices.FRESH_NANOS - 1);
    assertThat(read("sku-1")).as("within the moment").containsEntry("sku-1", new BigDecimal("10.00"));

    now.addAndGet(1);
    assertThat(read("sku-1")).as("after it").containsEntry("sku-1", new BigDecimal("12.00"));
  }

  @Test
  void a_product_without_a_price_is_read_again_every_time() {
    assertThat(read("sku-9")).isEmpty();

    price("sku-9", "5.00");

    assertThat(read("sku-9")).containsEntry("sku-9", new BigDecimal("5.00"));
  }

  private Map<String, BigDecimal> read(String productId) {
    return Await.onContext(context, () -> prices.of(List.of(productId)));
  }

  /** Appends inventory's ProductPriced to the product's stream (orders reads it there before its read model has it). */
  private void price(String productId, String price) {
    EventFactory events = EventFactory.system();
    result(store.commit(UnitOfWork.of(new StreamAppend(Streams.of("inventory", productId), ExpectedVersion.ANY,
        List.of(events.create(EventCatalog.PRODUCT_PRICED, productId, new ProductPriced(productId, new BigDecimal(price)),
            new EventFactory.Cause(productId, null)))))));
  }
}
