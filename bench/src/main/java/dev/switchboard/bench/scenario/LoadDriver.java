package dev.switchboard.bench.scenario;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * Places orders over HTTP and times them to their final state.
 *
 * <p>{@link #closedLoop} finds the sustained maximum: a fixed number of clients, each placing its
 * next order once its last one is final. {@link #openLoop} measures latency at a given rate: orders
 * are sent at their scheduled instants whatever the system does, and each latency is counted from
 * the instant the order was <em>due</em>, not from when it could be sent, so that a stall shows
 * in full (no coordinated omission).
 */
final class LoadDriver {

  private final Vertx vertx;
  private final WebClient client;
  private final Completions completions;
  private final AtomicLong sequence = new AtomicLong();

  LoadDriver(Vertx vertx, int port, Completions completions) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true).setConnectTimeout(5_000).setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(128));
    this.completions = completions;
  }

  /**
   * The orders confirmed (and failed) within {@code measured}, after {@code warmUp}, with
   * {@code clients} each placing its next order once its last is final.
   */
  ClosedLoopRun closedLoop(int clients, Duration warmUp, Duration measured) {
    long measureFrom = System.nanoTime() + warmUp.toNanos();
    long until = measureFrom + measured.toNanos();
    ClosedLoopRun run = clients(clients, () -> System.nanoTime() < until, now -> now >= measureFrom && now < until,
        warmUp.plus(measured).plusSeconds(60));
    return new ClosedLoopRun(run.finished(), run.failed(), measured.toNanos() / 1e9);
  }

  /**
   * Places {@code orders} orders, {@code clients} at a time, each client placing its next once its
   * last is final (or failed); gives up after {@code timeout}.
   */
  ClosedLoopRun closedLoopCount(int clients, long orders, Duration timeout) {
    AtomicLong claimed = new AtomicLong();
    return clients(clients, () -> claimed.incrementAndGet() <= orders, now -> true, timeout);
  }

  /**
   * Runs {@code clients} loops, each placing its next order once its last is final, for as long as
   * {@code another} says so; counts the outcomes that {@code counted} accepts by their
   * {@link System#nanoTime()}. The seconds are those from start to the last loop's end.
   */
  private ClosedLoopRun clients(int clients, BooleanSupplier another, LongPredicate counted, Duration timeout) {
    AtomicLong finished = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong running = new AtomicLong(clients);
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    for (int i = 0; i < clients; i++) {
      vertx.runOnContext(v -> nextOrder(another, counted, finished, failed, () -> {
        if (running.decrementAndGet() == 0) {
          done.tryComplete();
        }
      }));
    }
    await(done.future(), timeout);
    return new ClosedLoopRun(finished.get(), failed.get(), (System.nanoTime() - start) / 1e9);
  }

  private void nextOrder(BooleanSupplier another, LongPredicate counted, AtomicLong finished, AtomicLong failed,
                         Runnable stopped) {
    if (!another.getAsBoolean()) {
      stopped.run();
      return;
    }
    place().compose(completions::finalOf).onComplete(result -> {
      if (counted.test(System.nanoTime())) {
        (result.succeeded() ? finished : failed).incrementAndGet();
      }
      nextOrder(another, counted, finished, failed, stopped);
    });
  }

  record ClosedLoopRun(long finished, long failed, double seconds) {
    double perSecond() {
      return finished / seconds;
    }
  }

  /** Sends {@code rate} orders per second for {@code duration}; the latencies, from due instant to final. */
  OpenLoopRun openLoop(double rate, Duration duration) {
    Latencies latencies = new Latencies();
    long start = System.nanoTime();
    long total = (long) (rate * duration.toNanos() / 1e9);
    AtomicLong sent = new AtomicLong();
    AtomicLong finished = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Promise<Void> allSent = Promise.promise();
    long timer = vertx.setPeriodic(1, id -> {
      long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate));
      while (sent.get() < due) {
        long index = sent.getAndIncrement();
        long dueAt = start + (long) (index * 1e9 / rate);
        place().compose(completions::finalOf).onComplete(result -> {
          if (result.succeeded()) {
            latencies.add(result.result() - dueAt);
            finished.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
        });
      }
      if (sent.get() >= total) {
        allSent.tryComplete();
      }
    });
    await(allSent.future(), duration.plusSeconds(60));
    vertx.cancelTimer(timer);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (finished.get() + failed.get() < total && System.nanoTime() < deadline) {
      sleep(20);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new OpenLoopRun(rate, total, finished.get(), failed.get(), elapsed, latencies.summary());
  }

  record OpenLoopRun(double targetRate, long sent, long finished, long failed, double seconds, JsonObject latency) {
    JsonObject toJson() {
      return new JsonObject().put("targetPerSecond", Math.round(targetRate)).put("sent", sent)
          .put("finished", finished).put("failed", failed).put("seconds", Math.round(seconds * 100) / 100.0)
          .put("latency", latency);
    }
  }

  void close() {
    client.close();
  }

  private Future<String> place() {
    long n = sequence.incrementAndGet();
    JsonObject order = new JsonObject().put("customerId", "bench-" + (n % 1000)).put("items", new JsonArray()
        .add(new JsonObject().put("productId", "sku-" + (1 + n % 5)).put("quantity", 1)));
    return client.post("/orders").putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(order.encode()))
        .compose(response -> response.statusCode() == 202
            ? Future.succeededFuture(response.bodyAsJsonObject().getString("orderId"))
            : Future.failedFuture("POST /orders answered " + response.statusCode() + " " + response.bodyAsString()));
  }

  static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("gave up after " + timeout + ": " + e, e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
