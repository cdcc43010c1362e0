package dev.switchboard.runtime.projection;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.ForwardingEventStore;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

class GenerationTailerTest {

  private static final String NAME = "order_counts";

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private EventStore store;

  @AfterEach
  void close() {
    if (store != null) {
      result(store.close());
    }
    result(vertx.close());
  }

  /** Two rows, {@code placed} and {@code confirmed}, each counting its events; the routes name the row they read. */
  private static ReadModel counting() {
    return ReadModel.named(NAME)
        .on(EventCatalog.ORDER_PLACED, event -> List.of("placed"), (event, rows) -> count(rows, "placed"))
        .on(EventCatalog.ORDER_CONFIRMED, event -> List.of("confirmed"), (event, rows) -> count(rows, "confirmed"))
        .build();
  }

  private static Future<Void> count(Rows rows, String id) {
    return rows.get(id).map(row -> {
      rows.put(id, new JsonObject().put("count", row.map(body -> body.getInteger("count")).orElse(0) + 1));
      return null;
    });
  }

  @Test
  void a_batch_reads_the_rows_its_routes_name_in_one_query_and_projects_each_event_once() {
    Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    store = counted(result(TestStores.embedded(vertx, dir)), reads);
    ProjectionState state = result(store.readModels().register(NAME));
    for (int i = 0; i < 10; i++) {
      String order = newOrderId();
      result(store.commit(appendAny(orderPlaced(order))));
      result(store.commit(appendAny(orderConfirmed(order))));
    }
    GenerationTailer tailer = new GenerationTailer(store, counting(), DefaultShop.upcasters(), state.generation(),
        state.position(), null);

    assertThat(result(tailer.step(256))).isEqualTo(20);
    assertThat(reads).as("rows read: one query for the batch, none alone").containsOnlyKeys("rows");
    assertThat(reads.get("rows")).hasValue(1);
    assertThat(result(store.readModels().row(NAME, "placed"))).contains(new JsonObject().put("count", 10));
    assertThat(result(store.readModels().row(NAME, "confirmed"))).contains(new JsonObject().put("count", 10));

    String order = newOrderId();
    result(store.commit(appendAny(orderPlaced(order))));
    reads.clear();
    assertThat(result(tailer.step(256))).isEqualTo(1);
    assertThat(reads).as("the next batch knows the row the tailer committed").isEmpty();
    assertThat(result(store.readModels().row(NAME, "placed"))).contains(new JsonObject().put("count", 11));
  }

  @Test
  void after_a_batch_that_failed_the_rows_are_read_from_the_store_again() {
    Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    AtomicBoolean failNextApply = new AtomicBoolean();
    store = counted(result(TestStores.embedded(vertx, dir)), reads, failNextApply);
    ProjectionState state = result(store.readModels().register(NAME));
    result(store.commit(appendAny(orderPlaced(newOrderId()))));
    GenerationTailer tailer = new GenerationTailer(store, counting(), DefaultShop.upcasters(), state.generation(),
        state.position(), null);
    assertThat(result(tailer.step(256))).isEqualTo(1);

    result(store.commit(appendAny(orderPlaced(newOrderId()))));
    failNextApply.set(true);
    assertThat(failure(tailer.step(256))).hasMessageContaining("the commit failed");
    reads.clear();
    assertThat(result(tailer.step(256))).isEqualTo(1);

    assertThat(reads.get("rows")).as("the row read again").hasValue(1);
    assertThat(result(store.readModels().row(NAME, "placed"))).contains(new JsonObject().put("count", 2));
  }

  /** The store, counting the calls of its read models' {@code row} and {@code rows} by name. */
  private static EventStore counted(EventStore store, Map<String, AtomicInteger> reads) {
    return counted(store, reads, new AtomicBoolean());
  }

  /** The same, whose next {@code apply} fails, as a commit that failed would, while {@code failNextApply} is set. */
  private static EventStore counted(EventStore store, Map<String, AtomicInteger> reads, AtomicBoolean failNextApply) {
    ReadModelStore readModels = store.readModels();
    ReadModelStore counting = (ReadModelStore) Proxy.newProxyInstance(ReadModelStore.class.getClassLoader(),
        new Class<?>[] {ReadModelStore.class}, (proxy, method, arguments) -> {
          if (method.getName().equals("row") || method.getName().equals("rows")) {
            reads.computeIfAbsent(method.getName(), name -> new AtomicInteger()).incrementAndGet();
          }
          if (method.getName().equals("apply") && failNextApply.getAndSet(false)) {
            return Future.failedFuture(new IllegalStateException("the commit failed (in the test)"));
          }
          try {
            return method.invoke(readModels, arguments);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    return new ForwardingEventStore(store) {
      @Override
      public ReadModelStore readModels() {
        return counting;
      }
    };
  }
}
