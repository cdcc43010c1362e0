package dev.switchboard.bench.scenario;

import dev.switchboard.app.Node;
import dev.switchboard.app.config.Configuration;
import dev.switchboard.bench.Result;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A whole node in this JVM (the same code as the fat jar), driven over HTTP: the sustained maximum
 * of orders per second to a final state, then latency from {@code POST /orders} to the final status
 * at 50% and 90% of that maximum, open loop. The load generator shares the machine (and this JVM)
 * with the node, as it would share a laptop.
 */
public final class AppScenario {

  /** Events appended for one confirmed order: placed, reserved, authorised, confirmed, notified. */
  public static final int EVENTS_PER_ORDER = 5;

  private final String name;
  private final JsonObject overrides;
  private final int clients;
  private final Duration warmUp;
  private final Duration measured;

  public AppScenario(String name, JsonObject overrides, int clients, Duration warmUp, Duration measured) {
    this.name = name;
    this.overrides = overrides;
    this.clients = clients;
    this.warmUp = warmUp;
    this.measured = measured;
  }

  public Result run(Path workDir) throws Exception {
    JsonObject config = Configuration.defaults().mergeIn(overrides, true);
    config.getJsonObject("http").put("host", "127.0.0.1").put("port", 0);
    config.getJsonObject("store").getJsonObject("embedded").put("path", workDir.resolve("bench.db").toString());
    config.getJsonObject("logging").put("level", "WARN");
    Vertx nodeVertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    Node node = LoadDriver.await(Node.start(nodeVertx, config), Duration.ofSeconds(60));
    Completions completions = new Completions();
    LoadDriver.await(nodeVertx.eventBus().<JsonObject>consumer("orders.status",
        message -> completions.onStatus(message.body())).completion(), Duration.ofSeconds(10));
    LoadDriver driver = new LoadDriver(clientVertx, node.httpPort(), completions);
    try {
      double maximum = driver.closedLoop(clients, warmUp, measured);
      long peakRssKb = peakRssKb();
      LoadDriver.OpenLoopRun half = driver.openLoop(maximum * 0.5, measured);
      LoadDriver.OpenLoopRun ninety = driver.openLoop(maximum * 0.9, measured);
      JsonObject details = new JsonObject()
          .put("clients", clients)
          .put("ordersPerSecond", Math.round(maximum))
          .put("eventsPerSecond", Math.round(maximum * EVENTS_PER_ORDER))
          .put("at50", half.toJson())
          .put("at90", ninety.toJson())
          .put("peakRssMb", peakRssKb / 1024)
          .put("heapAfterGcMb", heapAfterGcMb());
      return new Result(name, "orders", maximum, details);
    } finally {
      driver.close();
      LoadDriver.await(node.stop(), Duration.ofSeconds(60));
      LoadDriver.await(nodeVertx.close(), Duration.ofSeconds(30));
      LoadDriver.await(clientVertx.close(), Duration.ofSeconds(30));
    }
  }

  /** The peak resident set of this process so far (Linux {@code VmHWM}), in KiB. */
  static long peakRssKb() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("VmHWM:"))
          .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
          .findFirst().orElse(-1L);
    } catch (Exception e) {
      return -1;
    }
  }

  static long heapAfterGcMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }
}
