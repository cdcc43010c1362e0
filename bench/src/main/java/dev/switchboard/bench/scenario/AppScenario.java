package dev.switchboard.bench.scenario;

import dev.switchboard.bench.Result;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A whole node driven over HTTP: the sustained maximum of orders per second confirmed (the
 * best of closed loops with each given number of clients), then latency from {@code POST /orders}
 * to the final status at 50% and 90% of that maximum, open loop, with what an order costs at 50%
 * ({@link Costs}). The load generator shares the machine (and this JVM) with the node, as it would
 * share a laptop.
 *
 * <p>Given a fixed rate, it also measures latency and costs at that rate, open loop: 50% of two
 * builds' maxima are two different loads, so comparing them wants one rate for both.
 */
public final class AppScenario {

  /** Events appended for one confirmed order: placed, reserved, authorised, confirmed, notified. */
  public static final int EVENTS_PER_ORDER = 5;
  /** Waiting longer for the JIT to settle than this says more about the machine than the node. */
  private static final Duration MAX_WARM_UP = Duration.ofMinutes(3);
  /** Open loops compile less than the first closed loops: what they still need takes seconds. */
  private static final Duration MAX_OPEN_LOOP_WARM_UP = Duration.ofMinutes(1);

  private final String name;
  private final JsonObject overrides;
  private final List<Integer> clientCounts;
  private final Duration warmUp;
  private final Duration measured;
  /** Orders per second of the extra open loop; empty: none. */
  private final OptionalDouble fixedRate;

  public AppScenario(String name, JsonObject overrides, List<Integer> clientCounts, Duration warmUp,
                     Duration measured, OptionalDouble fixedRate) {
    this.name = name;
    this.overrides = overrides;
    this.clientCounts = List.copyOf(clientCounts);
    this.warmUp = warmUp;
    this.measured = measured;
    this.fixedRate = fixedRate;
  }

  public Result run(Path workDir) {
    try (RunningNode node = RunningNode.start(overrides, workDir)) {
      LoadDriver driver = node.driver();
      double maximum = 0;
      int bestClients = 0;
      JsonObject tried = new JsonObject();
      JsonObject failedByClients = new JsonObject();
      JitWarmUp.Outcome warm = new JitWarmUp().run(driver, clientCounts.get(0), warmUp, MAX_WARM_UP);
      System.out.println(name + ": warmed up for " + warm.took().toSeconds() + " s, "
          + (warm.settled() ? "the JIT settled" : "the JIT still compiling (measured anyway)"));
      for (int i = 0; i < clientCounts.size(); i++) {
        int clients = clientCounts.get(i);
        LoadDriver.ClosedLoopRun run = driver.closedLoop(clients, warmUp.dividedBy(2), measured);
        tried.put(String.valueOf(clients), Math.round(run.perSecond()));
        failedByClients.put(String.valueOf(clients), run.failed());
        if (run.perSecond() > maximum) {
          maximum = run.perSecond();
          bestClients = clients;
        }
      }
      long peakRssMb = RunningNode.peakRssMb();
      JitWarmUp.Outcome openWarm = new JitWarmUp().openLoops(driver, maximum * 0.5, MAX_OPEN_LOOP_WARM_UP);
      System.out.println(name + ": open loops warmed up for " + openWarm.took().toSeconds() + " s, "
          + (openWarm.settled() ? "the JIT settled" : "the JIT still compiling (measured anyway)"));
      Costs costs = Costs.of(overrides, node.store());
      Measured half = measure(node, costs, maximum * 0.5, name + " at 50%");
      LoadDriver.OpenLoopRun ninety = driver.openLoop(maximum * 0.9, measured);
      JsonObject atFixedRate = null;
      if (fixedRate.isPresent()) {
        // the same load for every build compared: costs per order depend on the load (batches grow with it)
        String rate = name + " at " + Math.round(fixedRate.getAsDouble()) + " orders/s (SWITCHBOARD_BENCH_RATE)";
        Measured fixed = measure(node, costs, fixedRate.getAsDouble(), rate);
        atFixedRate = fixed.run().toJson().put("costs", fixed.costs()).put("stages", fixed.stages());
        JsonObject latency = atFixedRate.getJsonObject("latency");
        System.out.println(rate + ", " + fixed.run().finished() + " of " + fixed.run().sent()
            + " finished, p50/p99/p99.9 ms: " + latency.getValue("p50Millis") + "/" + latency.getValue("p99Millis")
            + "/" + latency.getValue("p999Millis"));
      }
      JsonObject details = new JsonObject()
          .put("warmUpSeconds", warm.took().toSeconds())
          .put("jitSettled", warm.settled())
          .put("openLoopWarmUpSeconds", openWarm.took().toSeconds())
          .put("openLoopJitSettled", openWarm.settled())
          .put("clients", bestClients)
          .put("ordersPerSecondByClients", tried)
          .put("failedByClients", failedByClients)
          .put("ordersPerSecond", Math.round(maximum))
          .put("eventsPerSecond", Math.round(maximum * EVENTS_PER_ORDER))
          .put("at50", half.run().toJson())
          .put("stagesAt50", half.stages())
          .put("costsAt50", half.costs())
          .put("at90", ninety.toJson())
          .put("atFixedRate", atFixedRate)
          .put("peakRssMb", peakRssMb)
          .put("heapAfterGcMb", RunningNode.heapAfterGcMb());
      return new Result(name, "orders", maximum, details);
    }
  }

  /** An open loop at one rate, with what an order cost during it and the time from each of its events to the next. */
  private record Measured(LoadDriver.OpenLoopRun run, JsonObject costs, JsonObject stages) {
  }

  /** Runs an open loop at {@code rate} and prints its costs and stages, each line headed {@code label}. */
  private Measured measure(RunningNode node, Costs costs, double rate, String label) {
    long before = OrderStages.head(node.store());
    Costs.Reading costsBefore = costs.read();
    LoadDriver.OpenLoopRun run = node.driver().openLoop(rate, measured);
    long cpuAfter = Costs.processCpuNanos();
    costs.settle();
    JsonObject perOrder = costs.perOrder(costsBefore, cpuAfter, costs.read(), run.finished());
    System.out.println(label + ": " + Costs.describe(perOrder));
    JsonObject stages = OrderStages.after(node.store(), before);
    System.out.println(label + ", from each event of an order to the next (p50/p99 ms): "
        + stages.stream().map(step -> step.getKey() + " " + ((JsonObject) step.getValue()).getDouble("p50Millis")
            + "/" + ((JsonObject) step.getValue()).getDouble("p99Millis")).toList());
    return new Measured(run, perOrder, stages);
  }
}
