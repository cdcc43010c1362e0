package dev.switchboard.inventory.readmodel;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReleased;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code stock} read model over the real embedded store: reservations and releases per product. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StockViewTest {

  private static final EventFactory EVENTS = EventFactory.system();

  @TempDir
  Path dir;

  private EventStore store;
  private Context context;
  private ProjectionRunner projection;

  @BeforeEach
  void startTheProjection(Vertx vertx) {
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    projection = new ProjectionRunner(vertx, store, StockView.readModel(Map.of("sku-1", 100, "sku-2", 10)),
        new ProjectionRunner.Settings(100, 20), DefaultShop.upcasters());
    Await.onContext(context, () -> projection.start());
  }

  @AfterEach
  void stopTheProjection() {
    Await.onContext(context, () -> projection.stop());
    result(store.close());
  }

  @Test
  void reservations_take_from_the_initial_stock_and_releases_give_back() {
    String first = newOrderId();
    String second = newOrderId();
    reserve(first, new StockLine("sku-1", 3), new StockLine("sku-2", 1));
    reserve(second, new StockLine("sku-1", 5));
    release(second, new StockLine("sku-1", 5));

    JsonObject sku1 = awaitRow("sku-1", 3);
    assertThat(sku1.getInteger("initial")).isEqualTo(100);
    assertThat(sku1.getInteger("available")).isEqualTo(97);
    assertThat(awaitRow("sku-2", 1).getInteger("available")).isEqualTo(9);
  }

  @Test
  void a_product_never_reserved_has_no_row() {
    reserve(newOrderId(), new StockLine("sku-1", 1));

    awaitRow("sku-1", 1);
    assertThat(result(store.readModels().row(StockView.NAME, "sku-2"))).isEmpty();
  }

  private void reserve(String orderId, StockLine... lines) {
    result(store.commit(appendAny(EVENTS.create(EventCatalog.STOCK_RESERVED, orderId,
        new StockReserved(orderId, List.of(lines)), new EventFactory.Cause(orderId, null)))));
  }

  private void release(String orderId, StockLine... lines) {
    result(store.commit(appendAny(EVENTS.create(EventCatalog.STOCK_RELEASED, orderId,
        new StockReleased(orderId, List.of(lines), "payment declined"), new EventFactory.Cause(orderId, null)))));
  }

  /** The row once the projection has caught up with the log; its reserved count must then be {@code reserved}. */
  private JsonObject awaitRow(String productId, long reserved) {
    long head = result(store.readModels().head());
    Await.until("the stock read model has caught up", () -> result(store.readModels().state(StockView.NAME))
        .orElseThrow().position() >= head);
    JsonObject row = result(store.readModels().row(StockView.NAME, productId)).orElseThrow();
    assertThat(row.getLong("reserved")).isEqualTo(reserved);
    assertThat(row.getString("productId")).isEqualTo(productId);
    return row;
  }
}
