package dev.switchboard.bench.scenario;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a confirmed order waits: from each of its events to the next, by the times the events were
 * made (each is made when its consumer decides, so a step is the commit of the event before, the
 * wake-up and read of the consumer, and its decision). Read from the log after a run, so the node
 * runs as it always does.
 */
final class OrderStages {

  /** The events of a confirmed order, in the order the saga makes them. */
  private static final List<String> PATH =
      List.of("OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
  private static final int PAGE = 10_000;

  private OrderStages() {
  }

  /** The log's position now: where a run about to start begins. */
  static long head(EventStore store) {
    return LoadDriver.await(store.readModels().head(), Duration.ofSeconds(30));
  }

  /**
   * The latency of each step of the orders placed after {@code from} and confirmed and notified
   * by the head: {@code {"OrderPlaced→StockReserved": {p50Millis, p99Millis, …}, …}}.
   */
  static JsonObject after(EventStore store, long from) {
    Map<String, Map<String, Instant>> ordersByTime = new HashMap<>();
    long after = from;
    List<StoredEvent> page;
    do {
      page = LoadDriver.await(store.readAll(after, Set.copyOf(PATH), PAGE), Duration.ofSeconds(60));
      for (StoredEvent event : page) {
        ordersByTime.computeIfAbsent(event.envelope().subject(), order -> new HashMap<>())
            .put(event.type(), Instant.parse(event.envelope().time()));
        after = event.position();
      }
    } while (page.size() == PAGE);

    Map<String, Latencies> steps = new LinkedHashMap<>();
    for (int i = 1; i < PATH.size(); i++) {
      steps.put(PATH.get(i - 1) + "→" + PATH.get(i), new Latencies());
    }
    for (Map<String, Instant> order : ordersByTime.values()) {
      if (!order.keySet().containsAll(PATH)) {
        continue; // placed before the run, or not yet done, or cancelled
      }
      for (int i = 1; i < PATH.size(); i++) {
        steps.get(PATH.get(i - 1) + "→" + PATH.get(i))
            .add(Duration.between(order.get(PATH.get(i - 1)), order.get(PATH.get(i))).toNanos());
      }
    }
    JsonObject summary = new JsonObject();
    steps.forEach((step, latencies) -> summary.put(step, latencies.summary()));
    return summary;
  }
}
