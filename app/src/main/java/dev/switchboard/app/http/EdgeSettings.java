package dev.switchboard.app.http;

import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * {@code http.allowedHosts} and {@code http.allowedOrigins}: the names this node answers to, and the
 * foreign pages it takes state-changing requests and bridge connections from.
 *
 * @param allowedHosts   names ({@code localhost}, {@code shop.example.com}, {@code [::1]}) with any port, or
 *                       {@code name:port} for one port only; {@code *} for any (a proxy in front checks them)
 * @param allowedOrigins origins ({@code https://admin.example.com}); empty: the node's own origin only
 */
record EdgeSettings(List<String> allowedHosts, List<String> allowedOrigins) {

  /** Reads {@code http.allowedHosts} and {@code http.allowedOrigins} ({@code config/default.json} gives their defaults). */
  static EdgeSettings from(JsonObject http) {
    ConfigSection section = ConfigSection.of("http", http);
    return new EdgeSettings(lowercase(section.list("allowedHosts")), lowercase(section.list("allowedOrigins")));
  }

  private static List<String> lowercase(JsonArray values) {
    return values.stream().map(String::valueOf).map(String::trim).filter(value -> !value.isEmpty())
        .map(value -> value.toLowerCase(Locale.ROOT)).toList();
  }
}
