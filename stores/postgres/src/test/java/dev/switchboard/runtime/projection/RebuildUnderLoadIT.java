package dev.switchboard.runtime.projection;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.OrderEventCounts;
import dev.switchboard.runtime.testing.TestPostgres;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A read model rebuilt from position zero on PostgreSQL while writers keep appending and readers
 * keep reading: the serving table answers throughout, and once the rebuilt generation is switched
 * in, it holds exactly one row per order with every event counted once (none lost, none twice),
 * at the head of the log.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RebuildUnderLoadIT {

  private static final String NAME = "event_counts";
  private static final int WRITERS = 4;
  private static final int ORDERS_PER_WRITER = 150;

  private Vertx vertx;
  private String database;
  private EventStore store;
  private Context context;
  private ProjectionRunner runner;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.createDatabase();
    store = result(TestStores.postgres(vertx, database));
    context = vertx.getOrCreateContext();
    runner = new ProjectionRunner(vertx, store, OrderEventCounts.named(NAME), new ProjectionRunner.Settings(50, 50),
        DefaultShop.upcasters());
    Await.onContext(context, () -> runner.start());
  }

  @AfterEach
  void stop() {
    Await.onContext(context, () -> runner.stop());
    result(store.close());
    result(vertx.close());
    TestPostgres.dropDatabase(database);
  }

  @Test
  void a_rebuild_under_load_switches_to_a_table_with_every_event_once_while_reads_keep_answering() throws Exception {
    Map<String, Integer> written = new ConcurrentHashMap<>();
    writeOrders("before", 100, written);
    Await.until("the serving generation has the first orders", () -> row(written.keySet().iterator().next()).isPresent());

    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger readsDuringRebuild = new AtomicInteger();
    ExecutorService load = Executors.newFixedThreadPool(WRITERS + 1);
    List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      writers.add(load.submit(() -> writeOrders("writer-" + writer, ORDERS_PER_WRITER, written)));
    }
    String known = written.keySet().iterator().next();
    java.util.concurrent.Future<?> reader = load.submit(() -> {
      while (writing.get()) {
        assertThat(row(known)).as("the serving table answers during the rebuild").isPresent();
        readsDuringRebuild.incrementAndGet();
      }
    });

    ProjectionState rebuilding = result(store.readModels().beginRebuild(NAME));
    vertx.eventBus().publish(ProjectionRunner.CHANGED_ADDRESS, NAME);
    int rebuilt = rebuilding.rebuild().orElseThrow().generation();
    for (java.util.concurrent.Future<?> w : writers) {
      w.get(2, TimeUnit.MINUTES);
    }
    writing.set(false);
    reader.get(1, TimeUnit.MINUTES);
    load.shutdown();

    Await.until("the rebuilt generation serves", () -> state().generation() == rebuilt && !state().rebuilding());
    long head = result(store.readModels().head());
    Await.until("the rebuilt generation reaches the head of the log", () -> state().position() >= head);

    assertThat(readsDuringRebuild).hasPositiveValue();
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM read_" + NAME + "_" + rebuilt))
        .as("one row per order, none lost, none doubled").isEqualTo(written.size());
    for (Map.Entry<String, Integer> order : written.entrySet()) {
      JsonObject row = row(order.getKey()).orElseThrow(() -> new AssertionError("no row for " + order.getKey()));
      assertThat(row.getInteger("placed")).as(order.getKey()).isEqualTo(1);
      assertThat(row.getInteger("confirmed")).as(order.getKey()).isEqualTo(order.getValue() - 1);
    }
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'read_" + NAME + "_" + (rebuilt - 1) + "'"))
        .as("the old table is gone").isZero();
  }

  /** Places orders, confirming every other one; how many events each order got. */
  private void writeOrders(String prefix, int count, Map<String, Integer> written) {
    for (int i = 0; i < count; i++) {
      String order = prefix + "-" + newOrderId();
      result(store.commit(startStream(orderPlaced(order))));
      int events = 1;
      if (i % 2 == 0) {
        result(store.commit(appendAny(orderConfirmed(order))));
        events++;
      }
      written.put(order, events);
    }
  }

  private Optional<JsonObject> row(String order) {
    return result(store.readModels().row(NAME, order));
  }

  private ProjectionState state() {
    return result(store.readModels().state(NAME)).orElseThrow();
  }
}
