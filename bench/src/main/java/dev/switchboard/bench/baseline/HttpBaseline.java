package dev.switchboard.bench.baseline;

import dev.switchboard.bench.Result;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge alone: a stub that answers {@code POST /orders} with {@code 202} and an order id, after
 * reading the body as JSON, driven by the same kind of client as the app scenarios (a closed loop
 * of requests in flight, in this JVM, on a Vert.x of its own). What an app scenario does beyond
 * this is the work behind the edge; this is the most orders per second HTTP lets in here.
 */
public final class HttpBaseline {

  private final int inFlight;

  public HttpBaseline(int inFlight) {
    this.inFlight = inFlight;
  }

  public Result run(Duration duration) throws Exception {
    Vertx serverVertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    try {
      HttpServer server = await(serverVertx.createHttpServer().requestHandler(request -> request.body()
          .onSuccess(body -> {
            JsonObject order = body.toJsonObject();
            String orderId = UUID.randomUUID().toString();
            request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                .putHeader("Location", "/orders/" + orderId)
                .end(new JsonObject().put("orderId", orderId).put("status", "PENDING")
                    .put("items", order.getJsonArray("items").size()).encode());
          })
          .onFailure(failure -> request.response().setStatusCode(400).end())).listen(0, "127.0.0.1"));
      WebClient client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.actualPort()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(inFlight));
      Buffer order = Buffer.buffer(new JsonObject().put("customerId", "bench-1").put("items", new JsonArray()
          .add(new JsonObject().put("productId", "sku-1").put("quantity", 1))).encode());
      AtomicLong answered = new AtomicLong();
      long measureFrom = System.nanoTime() + duration.toNanos() / 2; // the first half warms up
      long until = measureFrom + duration.toNanos();
      Promise<Void> done = Promise.promise();
      AtomicLong open = new AtomicLong(inFlight);
      for (int i = 0; i < inFlight; i++) {
        clientVertx.runOnContext(v -> loop(client, order, measureFrom, until, answered, () -> {
          if (open.decrementAndGet() == 0) {
            done.complete();
          }
        }));
      }
      await(done.future());
      client.close();
      return new Result("baseline: HTTP POST /orders answered 202 by a stub", "requests",
          answered.get() / (duration.toNanos() / 1e9), new JsonObject().put("inFlight", inFlight));
    } finally {
      await(clientVertx.close());
      await(serverVertx.close());
    }
  }

  private static void loop(WebClient client, Buffer order, long measureFrom, long until, AtomicLong answered,
                           Runnable finished) {
    if (System.nanoTime() >= until) {
      finished.run();
      return;
    }
    client.post("/orders").putHeader("Content-Type", "application/json").sendBuffer(order).onComplete(response -> {
      long now = System.nanoTime();
      if (response.succeeded() && response.result().statusCode() == 202 && now >= measureFrom && now < until) {
        answered.incrementAndGet();
      }
      loop(client, order, measureFrom, until, answered, finished);
    });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
