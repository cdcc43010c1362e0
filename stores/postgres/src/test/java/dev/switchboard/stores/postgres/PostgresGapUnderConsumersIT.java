package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.OrderEventCounts;
import dev.switchboard.runtime.testing.TestPostgres;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.local.LocalTransport;
import dev.switchboard.runtime.transport.local.LocalTransportSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A long appending transaction of another node, held open beside nodes appending fast: no consumer
 * (its lanes' checkpoints) and no projection (its position) of a node following the log ever moves
 * past the position that transaction took, and once it commits they handle its event and everything
 * after, each once and each order's events in order. The node reads partly from its feed of its own
 * commits ({@link dev.switchboard.runtime.store.RecentEvents}), which the other node's event, never
 * announced, interrupts.
 */
class PostgresGapUnderConsumersIT extends PostgresTestSupport {

  private static final String CONSUMER = "auditor";
  private static final String PROJECTION = "event_counts";
  private static final int APPENDERS = 3;
  private static final int ORDERS_EACH = 20;

  private final List<StoredEvent> seen = Collections.synchronizedList(new ArrayList<>());

  @Test
  void no_consumer_or_projection_moves_past_a_position_whose_transaction_commits_later() throws Exception {
    PostgresEventStore node = open();
    Context context = vertx.getOrCreateContext();
    LocalTransport transport = new LocalTransport(vertx, node, new LocalTransportSettings(100, 16, 4));
    Subscription subscription = Await.onContext(context,
        () -> transport.subscribe(CONSUMER, Set.of("OrderPlaced", "OrderConfirmed"), recording()));
    ProjectionRunner projection = new ProjectionRunner(vertx, node, OrderEventCounts.named(PROJECTION),
        new ProjectionRunner.Settings(50, 50), DefaultShop.upcasters());
    Await.onContext(context, projection::start);
    List<String> orders = Collections.synchronizedList(new ArrayList<>(placeAndConfirm(node, 10)));
    Await.until("the first orders handled and projected", () -> seen.size() == 20 && projectedUpTo() == head());

    long late;
    List<java.util.concurrent.Future<List<String>>> appending = new ArrayList<>();
    ExecutorService appenders = Executors.newFixedThreadPool(APPENDERS);
    String lateOrder = newOrderId();
    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      late = insertEvent(otherNode.connection(), orderPlaced(lateOrder).withSequence(1));
      // this node and two more append beside it, and wait for it
      List<PostgresEventStore> nodes = List.of(node, open(), open());
      for (PostgresEventStore appender : nodes) {
        appending.add(appenders.submit(() -> placeAndConfirm(appender, ORDERS_EACH)));
      }
      // they wait for its lock; were there none, they would commit after it, and be followed
      Await.until("the appenders under way", () -> appendLockWaiters() >= 1 || head() > late);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (System.nanoTime() < until) {
        assertThat(checkpointsReach()).as("the consumer's lanes, while position %d is not committed", late)
            .isLessThan(late);
        assertThat(projectedUpTo()).as("the projection, while position %d is not committed", late).isLessThan(late);
        assertThat(seen).as("handled while position %d is not committed", late)
            .allMatch(event -> event.position() < late);
        Thread.sleep(20);
      }
      otherNode.release();
    } finally {
      appenders.shutdown();
    }
    for (java.util.concurrent.Future<List<String>> appender : appending) {
      orders.addAll(appender.get(60, TimeUnit.SECONDS));
    }
    int expected = 2 * orders.size() + 1;
    Await.until("every event handled and projected", () -> seen.size() >= expected && projectedUpTo() == head());
    Await.onContext(context, subscription::close);
    Await.onContext(context, projection::stop);

    List<StoredEvent> log = result(node.readAll(0, Set.of(), 10_000));
    assertThat(seen).as("every event handled once").hasSize(log.size());
    assertThat(seen).extracting(StoredEvent::id)
        .containsExactlyInAnyOrderElementsOf(log.stream().map(StoredEvent::id).toList());
    assertThat(seen).extracting(StoredEvent::id).contains(log.stream().filter(e -> e.position() == late)
        .findFirst().orElseThrow().id());
    Map<String, List<String>> typesPerOrder = new HashMap<>();
    synchronized (seen) {
      seen.forEach(event -> typesPerOrder.computeIfAbsent(event.envelope().subject(), o -> new ArrayList<>())
          .add(event.type()));
    }
    orders.forEach(order -> assertThat(typesPerOrder.get(order)).as("the events of %s in order", order)
        .containsExactly("OrderPlaced", "OrderConfirmed"));
    for (String order : orders) {
      assertThat(row(node, order)).as("projected once: %s", order)
          .isEqualTo(new JsonObject().put("placed", 1).put("confirmed", 1));
    }
    assertThat(row(node, lateOrder)).isEqualTo(new JsonObject().put("placed", 1).put("confirmed", 0));
  }

  /** Places and confirms orders, one commit at a time; their ids. */
  private static List<String> placeAndConfirm(PostgresEventStore store, int count) {
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String order = newOrderId();
      result(store.commit(startStream(orderPlaced(order))));
      result(store.commit(appendAny(orderConfirmed(order))));
      orders.add(order);
    }
    return orders;
  }

  private Inbound recording() {
    return new Inbound() {
      @Override
      public Future<Delivery> deliver(StoredEvent event) {
        seen.add(event);
        return Future.succeededFuture(Delivery.handled());
      }

      @Override
      public Future<Delivery> unreadable(String payload, String reason) {
        return Future.failedFuture(new AssertionError("nothing unreadable is committed here: " + reason));
      }
    };
  }

  private static JsonObject row(PostgresEventStore store, String order) {
    return result(store.readModels().row(PROJECTION, order)).orElse(null);
  }

  /** The furthest any lane of the consumer has saved its checkpoint. */
  private long checkpointsReach() {
    return TestPostgres.queryLong(database,
        "SELECT COALESCE(max(position), 0) FROM checkpoints WHERE consumer LIKE '" + CONSUMER + "%'");
  }

  private long projectedUpTo() {
    return TestPostgres.queryLong(database,
        "SELECT COALESCE(max(position), 0) FROM projections WHERE name = '" + PROJECTION + "'");
  }

  private long head() {
    return TestPostgres.queryLong(database, "SELECT COALESCE(max(position), 0) FROM events");
  }
}
