package dev.switchboard.app.cluster;

import com.hazelcast.config.Config;
import dev.switchboard.app.config.Configuration;
import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@code cluster.*} becomes a Vert.x instance and a Hazelcast configuration. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusteringTest {

  @Test
  void by_default_a_node_runs_alone() throws Exception {
    Vertx vertx = Clustering.build(Configuration.defaults(), Vertx.builder(), new VertxOptions()).await();
    try {
      assertThat(vertx.isClustered()).isFalse();
      assertThat(Clustering.members(vertx)).isEqualTo(-1);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void a_cluster_on_the_embedded_store_is_refused_with_the_reason() {
    JsonObject config = Configuration.defaults();
    config.getJsonObject("cluster").put("enabled", true);

    Throwable refused = Clustering.build(config, Vertx.builder(), new VertxOptions()).cause();

    assertThat(refused).isInstanceOf(ConfigurationError.class).hasMessageContaining("store.type=postgres");
  }

  @Test
  void hazelcast_joins_the_configured_members_over_tcp_on_the_configured_interface_and_never_by_multicast() {
    ClusterSettings settings = clusterFrom(new JsonObject().put("enabled", true).put("host", "127.0.0.1")
        .put("port", 5801).put("members", new JsonArray().add("127.0.0.1:5801").add("127.0.0.1:5802")));

    Config config = Clustering.hazelcast(settings);

    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(config.getMapConfigs().keySet()).as("Vert.x's own maps are kept").anyMatch(name -> name.startsWith("__vertx."));
  }

  @Test
  void a_member_that_is_not_host_and_port_is_refused() {
    assertThatThrownBy(() -> clusterFrom(new JsonObject().put("members", new JsonArray().add("localhost"))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("\"localhost\" is not host:port");
    assertThatThrownBy(() -> clusterFrom(new JsonObject().put("port", 70000)))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("cluster.port");
    assertThat(clusterFrom(new JsonObject()).members()).isEqualTo(List.of());
  }

  @Test
  void the_cluster_name_comes_from_the_configuration() {
    ClusterSettings settings = clusterFrom(new JsonObject().put("enabled", true).put("name", "shop-eu-1"));

    assertThat(Clustering.hazelcast(settings).getClusterName()).isEqualTo("shop-eu-1");
    assertThat(clusterFrom(new JsonObject()).name()).isEqualTo("switchboard");
  }

  @Test
  void event_bus_tls_needs_a_certificate_and_the_clusters_authority_and_hides_passwords() {
    assertThatThrownBy(() -> clusterFrom(new JsonObject()
        .put("tls", new JsonObject().put("enabled", true))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("cluster.tls.certPath");
    assertThatThrownBy(() -> clusterFrom(new JsonObject().put("tls", new JsonObject().put("enabled", true)
        .put("keyStorePath", "/nowhere/node.p12").put("keyStorePassword", "s3cret"))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("cluster.tls.keyStorePath")
        .hasMessageNotContaining("s3cret");
    assertThat(clusterTlsFrom(new JsonObject().put("keyStorePassword", "s3cret")).toString()).doesNotContain("s3cret");
  }

  /** {@code cluster} as a node reads it: {@code config/default.json}'s, with the test's on top. */
  private static ClusterSettings clusterFrom(JsonObject overrides) {
    return ClusterSettings.from(DefaultConfig.section(overrides, "cluster"));
  }

  private static ClusterTls clusterTlsFrom(JsonObject overrides) {
    return ClusterTls.from(DefaultConfig.section(overrides, "cluster", "tls"));
  }
}
