package dev.switchboard.bench.scenario;

import dev.switchboard.bench.Result;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A long run on the embedded store and the local transport: {@code orders} orders, closed loop
 * with {@code clients} in flight, the heap after a full collection and the resident set sampled
 * after every tenth of them. Memory is bounded when the heap after collection stops growing once
 * the caches are full: the last sample is compared with the one at 20%, when they are.
 */
public final class SoakScenario {

  private static final int SAMPLES = 10;
  /** Growth of the heap after collection, from the 20% sample to the last, still taken for noise. */
  private static final double TOLERATED_GROWTH = 0.20;

  private final long orders;
  private final int clients;

  public SoakScenario(long orders, int clients) {
    this.orders = orders;
    this.clients = clients;
  }

  public Result run(Path workDir) {
    try (RunningNode node = RunningNode.start(new JsonObject(), workDir)) {
      JsonArray samples = new JsonArray();
      long placed = 0;
      long confirmed = 0;
      long failed = 0;
      double seconds = 0;
      for (int i = 1; i <= SAMPLES; i++) {
        long chunk = orders * i / SAMPLES - placed;
        LoadDriver.ClosedLoopRun run = node.driver().closedLoopCount(clients, chunk, Duration.ofHours(2));
        placed += chunk;
        confirmed += run.finished();
        failed += run.failed();
        seconds += run.seconds();
        samples.add(new JsonObject().put("orders", placed).put("failed", run.failed())
            .put("ordersPerSecond", Math.round(run.finished() / run.seconds()))
            .put("heapAfterGcMb", RunningNode.heapAfterGcMb()).put("rssMb", RunningNode.rssMb()));
        System.err.println("soak: " + samples.getJsonObject(samples.size() - 1).encode());
      }
      long settled = samples.getJsonObject(1).getLong("heapAfterGcMb");
      long last = samples.getJsonObject(SAMPLES - 1).getLong("heapAfterGcMb");
      JsonObject details = new JsonObject()
          .put("orders", placed)
          .put("confirmed", confirmed)
          .put("failed", failed)
          .put("clients", clients)
          .put("samples", samples)
          .put("peakRssMb", RunningNode.peakRssMb())
          .put("heapAfterGcMbAt20Percent", settled)
          .put("heapAfterGcMbAtEnd", last)
          // + 1: the samples are whole MiB, and a small heap would otherwise fail on rounding alone
          .put("bounded", last <= settled * (1 + TOLERATED_GROWTH) + 1);
      return new Result("soak: embedded + local, " + placed + " orders", "orders", confirmed / seconds, details);
    }
  }
}
