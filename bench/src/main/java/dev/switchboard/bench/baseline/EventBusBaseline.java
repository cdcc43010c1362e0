package dev.switchboard.bench.baseline;

import dev.switchboard.bench.Result;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw ceiling of the local transport's carrier: Vert.x event-bus request/reply messages per
 * second in one process, with a window of requests in flight, the body a small JSON object.
 */
public final class EventBusBaseline {

  private static final int IN_FLIGHT = 256;

  public Result run(Duration duration) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      vertx.eventBus().<JsonObject>consumer("bench.echo", message -> message.reply(message.body()));
      JsonObject body = new JsonObject().put("orderId", "order-1").put("status", "PENDING");
      AtomicLong replies = new AtomicLong();
      long until = System.nanoTime() + duration.toNanos();
      Promise<Void> done = Promise.promise();
      AtomicLong open = new AtomicLong(IN_FLIGHT);
      for (int i = 0; i < IN_FLIGHT; i++) {
        vertx.runOnContext(v -> loop(vertx, body, until, replies, () -> {
          if (open.decrementAndGet() == 0) {
            done.complete();
          }
        }));
      }
      done.future().toCompletionStage().toCompletableFuture().get(duration.toSeconds() + 30, TimeUnit.SECONDS);
      double perSecond = replies.get() / (duration.toNanos() / 1e9);
      return new Result("baseline: event bus request/reply", "messages", perSecond,
          new JsonObject().put("inFlight", IN_FLIGHT));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void loop(Vertx vertx, JsonObject body, long until, AtomicLong replies, Runnable finished) {
    if (System.nanoTime() >= until) {
      finished.run();
      return;
    }
    vertx.eventBus().request("bench.echo", body).onComplete(reply -> {
      replies.incrementAndGet();
      loop(vertx, body, until, replies, finished);
    });
  }
}
