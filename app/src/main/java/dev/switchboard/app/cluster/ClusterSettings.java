package dev.switchboard.app.cluster;

import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code cluster.*}: whether this node joins a cluster, its name (nodes join only a cluster of the
 * same name), the interface and port its cluster member binds, the members it joins (TCP-IP,
 * {@code host:port}; no multicast), and TLS between the nodes' event buses.
 */
public record ClusterSettings(boolean enabled, String name, String host, int port, List<String> members,
                              ClusterTls tls) {

  /** Reads {@code cluster}, every key of it ({@code config/default.json} gives each its default). */
  public static ClusterSettings from(JsonObject cluster) {
    ConfigSection section = ConfigSection.of("cluster", cluster);
    List<String> members = new ArrayList<>();
    JsonArray given = section.list("members");
    for (Object member : given) {
      String text = String.valueOf(member).trim();
      if (!text.matches("[^:\\s]+:\\d{1,5}")) {
        throw new ConfigurationError("cluster.members: \"" + text + "\" is not host:port");
      }
      members.add(text);
    }
    int port = section.integer("port");
    if (port < 1 || port > 65535) {
      throw new ConfigurationError("cluster.port must be from 1 to 65535, was " + port);
    }
    String name = section.text("name").strip();
    if (name.isEmpty()) {
      throw new ConfigurationError("cluster.name must not be empty");
    }
    return new ClusterSettings(section.flag("enabled"), name, section.text("host"), port,
        List.copyOf(members), ClusterTls.from(section.object("tls")));
  }
}
