package dev.switchboard.runtime.transport.local;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.testing.TestPostgres;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer's work split into lanes by order, shared by two nodes on one PostgreSQL database (two
 * stores, each with its own connections, leases and presence, as two processes would have): each
 * node reads its share of the lanes side by side with the other, every order's events are handled in
 * log order whichever node handles them, and when one node goes away the other takes its lanes over
 * from their checkpoints, so nothing is left unhandled.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerLanesOnPostgresIT {

  private static final int LANES = 4;
  /** Polls often, so that lanes change hands within a test's patience. */
  private static final LocalTransportSettings SETTINGS = new LocalTransportSettings(100, 16, LANES);
  private static final String CONSUMER = "auditor";
  private static final Set<String> TYPES = Set.of("OrderPlaced", "OrderConfirmed");

  private String database;
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<EventStore> stores = new ArrayList<>();

  @BeforeEach
  void createTheDatabase() {
    database = TestPostgres.createDatabase();
  }

  @AfterEach
  void dropTheDatabase() {
    stores.forEach(store -> store.close().recover(failure -> Future.succeededFuture()));
    vertxes.forEach(vertx -> result(vertx.close()));
    TestPostgres.dropDatabase(database);
  }

  @Test
  void two_nodes_share_a_consumers_lanes_keep_each_orders_events_in_order_and_one_takes_over_when_the_other_goes()
      throws Exception {
    Node first = node("first");
    Recorder seen = new Recorder();
    Subscription firstSubscription = first.subscribe(seen);
    List<String> orders = commitOrders(first.store, 40);
    seen.awaitAll("the first node alone handles every event", expected(orders));
    assertThat(seen.nodesThatHandled()).containsExactly("first");

    Node second = node("second");
    second.subscribe(seen);
    List<String> more = new ArrayList<>();
    long deadline = System.nanoTime() + Await.TIMEOUT.toNanos() * 3;
    while (!seen.handlersOf(more).contains("second")) {
      assertThat(System.nanoTime()).as("the second node takes lanes from the first in time").isLessThan(deadline);
      more.addAll(commitOrders(first.store, 10));
      Thread.sleep(200);
    }
    more.addAll(commitOrders(first.store, 40));
    seen.awaitAll("both nodes handle the orders committed after", expected(more));
    List<String> lastForty = more.subList(more.size() - 40, more.size());
    assertThat(seen.handlersOf(lastForty)).as("orders committed once the lanes are shared out go to both nodes")
        .containsExactlyInAnyOrder("first", "second");

    // the first node goes: its subscription stops and its store closes, ending its leases and presence
    Await.onContext(first.context, firstSubscription::close);
    result(first.store.close());
    stores.remove(first.store);
    List<String> last = commitOrders(second.store, 40);
    seen.awaitAll("the second node handles every order once alone", expected(last));
    assertThat(seen.handlersOf(last)).containsExactly("second");

    List<String> all = new ArrayList<>(orders);
    all.addAll(more);
    all.addAll(last);
    for (String order : all) {
      assertThat(seen.typesOf(order)).as("the events of " + order + " in log order, each handled")
          .startsWith("OrderPlaced").contains("OrderConfirmed");
      assertThat(seen.typesOf(order).indexOf("OrderConfirmed")).isGreaterThan(seen.typesOf(order).indexOf("OrderPlaced"));
    }
  }

  // ------------------------------------------------------------------ helpers

  private record Node(String name, Vertx vertx, EventStore store, Context context) {
    Subscription subscribe(Recorder recorder) {
      LocalTransport transport = new LocalTransport(vertx, store, SETTINGS);
      return Await.onContext(context, () -> transport.subscribe(CONSUMER, TYPES, recorder.as(name)));
    }
  }

  private Node node(String name) {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    EventStore store = result(TestStores.postgres(vertx, database));
    stores.add(store);
    return new Node(name, vertx, store, vertx.getOrCreateContext());
  }

  private static List<String> commitOrders(EventStore store, int count) {
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String order = TestEvents.newOrderId();
      orders.add(order);
      result(store.commit(appendAny(TestEvents.orderPlaced(order))));
    }
    for (String order : orders) {
      result(store.commit(appendAny(TestEvents.orderConfirmed(order))));
    }
    return orders;
  }

  private static Map<String, Integer> expected(List<String> orders) {
    Map<String, Integer> expected = new LinkedHashMap<>();
    orders.forEach(order -> expected.put(order, 2));
    return expected;
  }

  /** What each node handled, in the order handled. */
  private static final class Recorder {
    private record Seen(String node, EventEnvelope event) {
    }

    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    Inbound as(String node) {
      return new Inbound() {
        @Override
        public Future<Delivery> deliver(StoredEvent event) {
          seen.add(new Seen(node, event.envelope()));
          return Future.succeededFuture(Delivery.handled());
        }

        @Override
        public Future<Delivery> unreadable(String payload, String reason) {
          return Future.failedFuture(new AssertionError("nothing unreadable is committed here: " + reason));
        }
      };
    }

    void awaitAll(String what, Map<String, Integer> eventsPerOrder) {
      Await.until(what, () -> eventsPerOrder.entrySet().stream()
          .allMatch(order -> distinctIdsOf(order.getKey()) >= order.getValue()));
    }

    private long distinctIdsOf(String order) {
      synchronized (seen) {
        return seen.stream().filter(each -> each.event().subject().equals(order)).map(each -> each.event().id())
            .distinct().count();
      }
    }

    Set<String> nodesThatHandled() {
      synchronized (seen) {
        return seen.stream().map(Seen::node).collect(Collectors.toSet());
      }
    }

    Set<String> handlersOf(List<String> orders) {
      synchronized (seen) {
        return seen.stream().filter(each -> orders.contains(each.event().subject())).map(Seen::node)
            .collect(Collectors.toSet());
      }
    }

    /** The types of an order's events in the order they were handled, first handlings only. */
    List<String> typesOf(String order) {
      synchronized (seen) {
        return seen.stream().filter(each -> each.event().subject().equals(order)).map(Seen::event).distinct()
            .map(EventEnvelope::type).distinct().toList();
      }
    }
  }
}
