package dev.switchboard.bench.scenario;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells when each order reached its final state, from the {@code orders.status} messages the node
 * publishes (what a browser sees). A status may arrive before the client learned the order's id.
 *
 * <p>The status and the client's wait arrive on different event loops, so each order has one
 * promise, made by whichever comes first: a status kept in one map and a waiter in another could
 * each miss the other, and a client would wait for ever.
 *
 * <p>Only a confirmed order counts as done: a cancelled one appends fewer events and would flatter
 * the figures, so it fails (the scenarios count it among the failures).
 */
final class Completions {

  private final Map<String, Promise<Long>> outcomes = new ConcurrentHashMap<>();

  void onStatus(JsonObject change) {
    String status = change.getString("status");
    String orderId = change.getString("orderId");
    if ("CONFIRMED".equals(status)) {
      outcomeOf(orderId).tryComplete(System.nanoTime());
    } else if ("CANCELLED".equals(status)) {
      outcomeOf(orderId).tryFail("order " + orderId + " was cancelled: " + change.getString("reason"));
    }
  }

  /** Completes with the {@link System#nanoTime()} at which the order was confirmed; fails if it was cancelled. */
  Future<Long> finalOf(String orderId) {
    return outcomeOf(orderId).future().onComplete(settled -> outcomes.remove(orderId));
  }

  private Promise<Long> outcomeOf(String orderId) {
    return outcomes.computeIfAbsent(orderId, id -> Promise.promise());
  }
}
