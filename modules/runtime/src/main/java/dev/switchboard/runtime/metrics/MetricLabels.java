package dev.switchboard.runtime.metrics;

import dev.switchboard.contracts.EventCatalog;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.Set;

/**
 * Label values that come from outside, bounded: every distinct value is a new series in Prometheus,
 * so a caller inventing HTTP methods or a producer inventing event types could otherwise grow the
 * metrics without end. What is not known folds into {@value #OTHER}.
 */
public final class MetricLabels {

  public static final String OTHER = "other";
  /** What the consumer runner counts a message that is no CloudEvent as: ours, so bounded. */
  static final String UNREADABLE = "(unreadable)";
  private static final Set<String> HTTP_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private MetricLabels() {
  }

  /** The event type if the catalog knows it (or {@value #UNREADABLE}), else {@value #OTHER}. */
  public static String eventType(String type) {
    return type != null && (EventCatalog.byName(type).isPresent() || UNREADABLE.equals(type)) ? type : OTHER;
  }

  /** The method if it is one of HTTP's own, else {@value #OTHER}. */
  public static String httpMethod(String method) {
    return method != null && HTTP_METHODS.contains(method) ? method : OTHER;
  }

  /**
   * Folds the {@code method} label of the HTTP meters Vert.x reports ({@code vertx_http_…}). Register
   * it on the registry before Vert.x makes its first meter.
   */
  public static MeterFilter boundedHttpMethods() {
    return new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        String method = id.getTag("method");
        if (method == null || !id.getName().startsWith("vertx.http") || method.equals(httpMethod(method))) {
          return id;
        }
        return id.replaceTags(Tags.of(id.getTagsAsIterable()).and("method", OTHER));
      }
    };
  }
}
