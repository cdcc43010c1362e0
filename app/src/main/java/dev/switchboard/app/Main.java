package dev.switchboard.app;

import dev.switchboard.app.config.Configuration;
import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.runtime.config.ConfigSection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar switchboard.jar [--config FILE]…}: starts a node and stops it gracefully on
 * SIGTERM or Ctrl-C (requests in flight and events in hand finish; the store closes cleanly).
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    JsonObject config;
    try {
      config = Configuration.load(profiles(args), System.getenv());
    } catch (ConfigurationError e) {
      System.err.println("switchboard: " + e.getMessage());
      System.exit(2);
      return;
    }
    configureLogging(config.getJsonObject("logging"));
    Logger log = LoggerFactory.getLogger(Main.class);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx;
    try {
      vertx = NodeVertx.create(config, registry).await();
    } catch (Throwable failure) {
      log.error("switchboard failed to start: {}", failure.getMessage());
      System.exit(1);
      return;
    }
    Node node;
    try {
      node = Node.start(vertx, config, registry).await();
    } catch (Throwable failure) {
      log.error("switchboard failed to start: {}", failure.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    long shutdownMillis = ConfigSection.of("shutdown", config.getJsonObject("shutdown")).wholeNumber("timeoutMillis");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(vertx, node, shutdownMillis, log),
        "switchboard-shutdown"));
  }

  private static void shutDown(Vertx vertx, Node node, long timeoutMillis, Logger log) {
    log.info("switchboard stopping: draining work in flight");
    CountDownLatch stopped = new CountDownLatch(1);
    node.stop()
        .eventually(() -> vertx.close())
        .onComplete(done -> {
          if (done.failed()) {
            log.warn("switchboard did not stop cleanly: {}", done.cause().toString());
          }
          stopped.countDown();
        });
    try {
      if (!stopped.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
        log.warn("switchboard: shutdown took longer than {} ms; exiting anyway", timeoutMillis);
      } else {
        log.info("switchboard stopped");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static List<Path> profiles(String[] args) {
    List<Path> profiles = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> {
          if (i + 1 >= args.length) {
            throw new ConfigurationError("--config needs a file");
          }
          profiles.add(Path.of(args[++i]));
        }
        case "--help", "-h" -> {
          System.out.println("usage: java -jar switchboard.jar [--config FILE]...   (see README.md)");
          System.exit(0);
        }
        default -> throw new ConfigurationError("unknown argument \"" + args[i] + "\"; usage: [--config FILE]...");
      }
    }
    return profiles;
  }

  /** Chooses the log layout and level before the first logger exists. */
  private static void configureLogging(JsonObject logging) {
    ConfigSection section = ConfigSection.of("logging", logging);
    String format = section.text("format");
    if (!format.equals("text") && !format.equals("json")) {
      System.err.println("switchboard: logging.format must be text or json, was " + format);
      System.exit(2);
    }
    System.setProperty("logback.configurationFile", "logback-" + format + ".xml");
    System.setProperty("switchboard.log.level", section.text("level"));
  }
}
