package dev.switchboard.app;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in OpenTelemetry collector: a real HTTP server that takes OTLP/HTTP trace exports
 * ({@code POST /v1/traces}, protobuf) and keeps the spans, decoded with the protocol's own classes.
 */
final class OtlpCollector implements AutoCloseable {

  private final HttpServer server;
  private final List<Span> spans = new CopyOnWriteArrayList<>();
  private final List<String> serviceNames = new CopyOnWriteArrayList<>();

  private OtlpCollector(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(request -> {
      if (!request.path().equals("/v1/traces")) {
        request.response().setStatusCode(404).end();
        return;
      }
      request.body().onSuccess(body -> {
        try {
          ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.getBytes());
          export.getResourceSpansList().forEach(resource -> {
            resource.getResource().getAttributesList().stream()
                .filter(attribute -> attribute.getKey().equals("service.name"))
                .forEach(attribute -> serviceNames.add(attribute.getValue().getStringValue()));
            resource.getScopeSpansList().forEach(scope -> spans.addAll(scope.getSpansList()));
          });
          request.response().putHeader("content-type", "application/x-protobuf")
              .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
        } catch (InvalidProtocolBufferException e) {
          request.response().setStatusCode(400).end(e.getMessage());
        }
      });
    });
  }

  static OtlpCollector start(Vertx vertx) {
    OtlpCollector collector = new OtlpCollector(vertx);
    TestNode.await(collector.server.listen(0, "127.0.0.1"), "the collector to listen");
    return collector;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  List<Span> spans() {
    return List.copyOf(spans);
  }

  List<String> serviceNames() {
    return List.copyOf(serviceNames);
  }

  @Override
  public void close() {
    TestNode.await(server.close(), "the collector to close");
  }
}
