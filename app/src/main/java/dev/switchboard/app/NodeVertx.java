package dev.switchboard.app;

import dev.switchboard.app.cluster.Clustering;
import dev.switchboard.runtime.metrics.MetricLabels;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * The Vert.x instance a node runs on: reporting its own meters (HTTP server, event bus, pools) and
 * the JVM's to the node's Prometheus registry, and clustered when the configuration says so.
 */
public final class NodeVertx {

  private NodeVertx() {
  }

  public static Future<Vertx> create(JsonObject config, PrometheusMeterRegistry registry) {
    // before Vert.x makes its first meter: a caller inventing HTTP methods must not mint new series
    registry.config().meterFilter(MetricLabels.boundedHttpMethods());
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    return Clustering.build(config, Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry)), options);
  }
}
