package dev.switchboard.app.tracing;

import dev.switchboard.runtime.tracing.EventTracer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The node's tracer: ids only, or OpenTelemetry spans exported over OTLP. Spans wait in a bounded
 * queue and go out in batches from a thread of the SDK's own, never an event loop; when the
 * collector is away, the queue's overflow is dropped rather than held (the events themselves are
 * untouched). Closing flushes what is queued.
 */
public final class Tracing {

  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  private final EventTracer tracer;
  private final OpenTelemetrySdk sdk;
  private final TracingSettings settings;

  private Tracing(EventTracer tracer, OpenTelemetrySdk sdk, TracingSettings settings) {
    this.tracer = tracer;
    this.sdk = sdk;
    this.settings = settings;
  }

  public static Tracing start(TracingSettings settings) {
    if (!settings.exports()) {
      return new Tracing(EventTracer.idsOnly(), null, settings);
    }
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(settings.endpoint().toString())
        .setTimeout(settings.timeout())
        .build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.builder()
            .put("service.name", settings.serviceName()).build())))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    LOG.info("tracing: spans exported over OTLP to {}", settings.endpointWithoutCredentials());
    return new Tracing(new OpenTelemetryEventTracer(sdk.getTracer("dev.switchboard")), sdk, settings);
  }

  public EventTracer tracer() {
    return tracer;
  }

  /** Exports what is still queued (waiting at most the export timeout), then stops the exporter. */
  public Future<Void> close(Vertx vertx) {
    if (sdk == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      var done = sdk.shutdown().join(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!done.isSuccess()) {
        LOG.warn("tracing: not every span could be exported before shutdown ({})", settings.endpointWithoutCredentials());
      }
      return null;
    });
  }
}
