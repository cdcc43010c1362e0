package dev.switchboard.orders.readmodel;

import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order saga's instances by state, counted from the log over the real embedded store, and
 * read into the {@code switchboard.saga.instances} gauges.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SagaStatesTest {

  private static final BigDecimal TOTAL = new BigDecimal("25.50");

  @TempDir
  Path dir;

  private EventStore store;
  private Context context;
  private ProjectionRunner projection;

  @BeforeEach
  void startTheProjection(Vertx vertx) {
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    projection = new ProjectionRunner(vertx, store, SagaStates.readModel(), new ProjectionRunner.Settings(100, 50),
        DefaultShop.upcasters());
    Await.onContext(context, () -> projection.start());
  }

  @AfterEach
  void stopTheProjection() {
    Await.onContext(context, () -> projection.stop());
    result(store.close());
  }

  @Test
  void each_order_is_counted_in_its_state_and_leaves_pending_when_it_ends() {
    String confirmed = newOrderId();
    String cancelled = newOrderId();
    String waiting = newOrderId();
    for (String order : new String[] {confirmed, cancelled, waiting}) {
      result(store.commit(startStream(orderPlaced(order, TOTAL))));
    }
    result(store.commit(appendAny(orderConfirmed(confirmed, TOTAL))));
    result(store.commit(appendAny(orderCancelled(cancelled, "declined"))));

    Await.until("the counts to reach the last event", () -> instances("CANCELLED") == 1);

    assertThat(instances("PENDING")).isEqualTo(1);
    assertThat(instances("CONFIRMED")).isEqualTo(1);
  }

  @Test
  void the_gauges_show_the_counts_once_read() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventMetrics metrics = new EventMetrics(registry);
    String order = newOrderId();
    result(store.commit(startStream(orderPlaced(order, TOTAL))));
    result(store.commit(startStream(orderPlaced(newOrderId(), TOTAL))));
    result(store.commit(appendAny(orderConfirmed(order, TOTAL))));
    Await.until("the counts to reach the last event", () -> instances("CONFIRMED") == 1);

    Runnable stop = SagaStates.exportGauges(store.readModels(), metrics);
    result(metrics.readAllNow());

    assertThat(gauge(registry, "PENDING")).isEqualTo(1);
    assertThat(gauge(registry, "CONFIRMED")).isEqualTo(1);
    assertThat(gauge(registry, "CANCELLED")).isZero();

    stop.run();
    result(store.commit(startStream(orderPlaced(newOrderId(), TOTAL))));
    Await.until("the counts to reach the new order", () -> instances("PENDING") == 2);
    result(metrics.readAllNow());
    assertThat(gauge(registry, "PENDING")).as("no longer read once stopped").isEqualTo(1);
  }

  private long instances(String state) {
    return result(store.readModels().row(SagaStates.NAME, state)).map(row -> row.getLong("instances")).orElse(0L);
  }

  private static double gauge(SimpleMeterRegistry registry, String state) {
    return registry.get("switchboard.saga.instances").tag("saga", "order").tag("state", state).gauge().value();
  }
}
