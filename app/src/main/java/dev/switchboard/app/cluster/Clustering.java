package dev.switchboard.app.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.switchboard.app.config.ConfigurationError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Clusters the Vert.x instance a node runs on when {@code cluster.enabled}, through Hazelcast, so
 * that the event bus spans the nodes (orders placed on one node reach the orders module on another;
 * browsers on any node hear of changes made on any other).
 *
 * <p>Hazelcast joins over TCP-IP with the configured members on the configured interface, never by
 * multicast, and keeps the {@code __vertx.*} maps of Vert.x's default cluster configuration. With
 * {@code cluster.tls} the event bus between nodes is TLS with client certificates ({@link ClusterTls});
 * Hazelcast's own traffic (membership, the event-bus registry) has no TLS in its open-source edition:
 * the cluster's network must be one only its nodes reach.
 */
public final class Clustering {

  private Clustering() {
  }

  /**
   * A builder's finishing step: a clustered Vert.x when {@code cluster.enabled}, else a plain one.
   * A cluster needs the shared PostgreSQL store.
   */
  public static Future<Vertx> build(JsonObject config, VertxBuilder builder, VertxOptions options) {
    ClusterSettings cluster = ClusterSettings.from(config.getJsonObject("cluster"));
    if (!cluster.enabled()) {
      return Future.succeededFuture(builder.with(options).build());
    }
    if (!"postgres".equals(config.getJsonObject("store").getString("type"))) {
      return Future.failedFuture(new ConfigurationError(
          "a cluster needs the shared PostgreSQL store (store.type=postgres); the embedded store is one process's file"));
    }
    // the event bus of a cluster: its own TCP connections between nodes, on the cluster's interface
    options.getEventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host()).setPort(0);
    cluster.tls().applyTo(options.getEventBusOptions());
    ClusterManager manager = new HazelcastClusterManager(hazelcast(cluster));
    return builder.with(options).withClusterManager(manager).buildClustered();
  }

  static Config hazelcast(ClusterSettings cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setClusterName(cluster.name());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }

  /** The number of members this node sees, or -1 if it runs alone. */
  public static int members(Vertx vertx) {
    ClusterManager manager = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    return manager == null ? -1 : manager.getNodes().size();
  }
}
