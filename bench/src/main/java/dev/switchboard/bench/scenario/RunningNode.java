package dev.switchboard.bench.scenario;

import dev.switchboard.app.Node;
import dev.switchboard.app.config.Configuration;
import dev.switchboard.runtime.store.EventStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A whole node in this JVM (the same code as the fat jar), on the defaults with the scenario's
 * overrides, and a load driver placing orders on it over HTTP from a Vert.x of its own.
 */
final class RunningNode implements AutoCloseable {

  private final Vertx nodeVertx;
  private final Vertx clientVertx;
  private final Node node;
  private final LoadDriver driver;

  private RunningNode(Vertx nodeVertx, Vertx clientVertx, Node node, LoadDriver driver) {
    this.nodeVertx = nodeVertx;
    this.clientVertx = clientVertx;
    this.node = node;
    this.driver = driver;
  }

  static RunningNode start(JsonObject overrides, Path workDir) {
    JsonObject config = Configuration.defaults().mergeIn(overrides, true);
    // the bench is one client measuring capacity: the per-client rate limit would measure itself
    JsonObject http = config.getJsonObject("http").put("host", "127.0.0.1").put("port", 0);
    http.getJsonObject("rateLimit").put("requestsPerSecond", 0);
    config.getJsonObject("store").getJsonObject("embedded").put("path", workDir.resolve("bench.db").toString());
    config.getJsonObject("logging").put("level", "WARN");
    Vertx nodeVertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    try {
      Node node = LoadDriver.await(Node.start(nodeVertx, config), Duration.ofSeconds(60));
      Completions completions = new Completions();
      LoadDriver.await(nodeVertx.eventBus().<JsonObject>consumer("orders.status",
          message -> completions.onStatus(message.body())).completion(), Duration.ofSeconds(10));
      return new RunningNode(nodeVertx, clientVertx, node, new LoadDriver(clientVertx, node.httpPort(), completions));
    } catch (RuntimeException e) {
      // a node that did not start leaves its threads running, and they would keep the JVM from exiting
      nodeVertx.close();
      clientVertx.close();
      throw e;
    }
  }

  LoadDriver driver() {
    return driver;
  }

  EventStore store() {
    return node.store();
  }

  @Override
  public void close() {
    driver.close();
    try {
      LoadDriver.await(node.stop(), Duration.ofSeconds(60));
    } finally {
      // even after a stop that failed: their threads would keep the JVM from exiting
      LoadDriver.await(nodeVertx.close(), Duration.ofSeconds(30));
      LoadDriver.await(clientVertx.close(), Duration.ofSeconds(30));
    }
  }

  /** The peak resident set of this process so far (Linux {@code VmHWM}), in MiB; -1 where unknown. */
  static long peakRssMb() {
    return statusMb("VmHWM:");
  }

  /** The resident set of this process now (Linux {@code VmRSS}), in MiB; -1 where unknown. */
  static long rssMb() {
    return statusMb("VmRSS:");
  }

  /** The heap in use right after a full collection, in MiB. */
  static long heapAfterGcMb() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
  }

  private static long statusMb(String field) {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith(field))
          .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
          .findFirst().orElse(-1L);
    } catch (Exception e) {
      return -1;
    }
  }
}
