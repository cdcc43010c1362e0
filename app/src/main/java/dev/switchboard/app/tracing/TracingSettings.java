package dev.switchboard.app.tracing;

import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Duration;

/**
 * {@code tracing.*}: whether spans are exported (off by default: events still carry their W3C trace
 * context) and where to.
 *
 * @param export      {@code none} or {@code otlp} (OTLP over HTTP, protobuf)
 * @param serviceName the {@code service.name} of the spans
 * @param sampleRatio the share of new traces recorded; a trace begun elsewhere keeps its caller's decision
 * @param endpoint    the collector's traces endpoint, e.g. {@code http://127.0.0.1:4318/v1/traces}
 * @param timeout     how long one export may take before it is given up (its spans are dropped)
 */
public record TracingSettings(String export, String serviceName, double sampleRatio, URI endpoint, Duration timeout) {

  /** Reads {@code tracing}, every key of it ({@code config/default.json} gives each its default). */
  public static TracingSettings from(JsonObject tracing) {
    ConfigSection section = ConfigSection.of("tracing", tracing);
    String export = section.text("export");
    if (!export.equals("none") && !export.equals("otlp")) {
      throw new ConfigurationError("tracing.export must be none or otlp, was \"" + export + "\"");
    }
    double ratio = section.number("sampleRatio").doubleValue();
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new ConfigurationError("tracing.sampleRatio must be between 0 and 1, was " + ratio);
    }
    ConfigSection otlp = section.section("otlp");
    URI endpoint = URI.create(otlp.text("endpoint"));
    if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
      throw new ConfigurationError("tracing.otlp.endpoint must be an http or https URL, was \"" + endpoint + "\"");
    }
    long timeoutMillis = otlp.wholeNumber("timeoutMillis");
    if (timeoutMillis <= 0) {
      throw new ConfigurationError("tracing.otlp.timeoutMillis must be positive, was " + timeoutMillis);
    }
    return new TracingSettings(export, section.text("serviceName"), ratio, endpoint,
        Duration.ofMillis(timeoutMillis));
  }

  /** The endpoint fit for a log line: without user info or query, which may hold a token. */
  public String endpointWithoutCredentials() {
    return endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
        + (endpoint.getPath() == null ? "" : endpoint.getPath());
  }

  public boolean exports() {
    return export.equals("otlp");
  }
}
