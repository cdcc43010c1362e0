package dev.switchboard.bench.scenario;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when each order reached its final state, from the {@code orders.status} messages the node
 * publishes (what a browser sees). A status may arrive before the client learned the order's id,
 * so finals are kept until claimed.
 */
final class Completions {

  private final Map<String, Long> finishedAt = new ConcurrentHashMap<>();
  private final Map<String, Promise<Long>> waiting = new ConcurrentHashMap<>();

  void onStatus(JsonObject change) {
    String status = change.getString("status");
    if (!"CONFIRMED".equals(status) && !"CANCELLED".equals(status)) {
      return;
    }
    long now = System.nanoTime();
    String orderId = change.getString("orderId");
    Promise<Long> waiter = waiting.remove(orderId);
    if (waiter != null) {
      waiter.tryComplete(now);
    } else {
      finishedAt.put(orderId, now);
    }
  }

  /** Completes with the {@link System#nanoTime()} at which the order became final. */
  Future<Long> finalOf(String orderId) {
    Long already = finishedAt.remove(orderId);
    if (already != null) {
      return Future.succeededFuture(already);
    }
    Promise<Long> promise = Promise.promise();
    waiting.put(orderId, promise);
    Long raced = finishedAt.remove(orderId);
    if (raced != null) {
      waiting.remove(orderId);
      promise.tryComplete(raced);
    }
    return promise.future();
  }
}
