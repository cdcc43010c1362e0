package dev.switchboard.bench.scenario;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when each order reached its final state, from the {@code orders.status} messages the node
 * publishes (what a browser sees). A status may arrive before the client learned the order's id,
 * so outcomes are kept until claimed.
 *
 * <p>Only a confirmed order counts as done: a cancelled one appends fewer events and would flatter
 * the figures, so it fails (the scenarios count it among the failures).
 */
final class Completions {

  private final Map<String, Future<Long>> outcomes = new ConcurrentHashMap<>();
  private final Map<String, Promise<Long>> waiting = new ConcurrentHashMap<>();

  void onStatus(JsonObject change) {
    String status = change.getString("status");
    String orderId = change.getString("orderId");
    Future<Long> outcome;
    if ("CONFIRMED".equals(status)) {
      outcome = Future.succeededFuture(System.nanoTime());
    } else if ("CANCELLED".equals(status)) {
      outcome = Future.failedFuture("order " + orderId + " was cancelled: " + change.getString("reason"));
    } else {
      return;
    }
    Promise<Long> waiter = waiting.remove(orderId);
    if (waiter != null) {
      waiter.handle(outcome);
    } else {
      outcomes.put(orderId, outcome);
    }
  }

  /** Completes with the {@link System#nanoTime()} at which the order was confirmed; fails if it was cancelled. */
  Future<Long> finalOf(String orderId) {
    Future<Long> already = outcomes.remove(orderId);
    if (already != null) {
      return already;
    }
    Promise<Long> promise = Promise.promise();
    waiting.put(orderId, promise);
    Future<Long> raced = outcomes.remove(orderId);
    if (raced != null) {
      waiting.remove(orderId);
      promise.handle(raced);
    }
    return promise.future();
  }
}
