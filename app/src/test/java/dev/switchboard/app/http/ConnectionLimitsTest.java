package dev.switchboard.app.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the header deadline keeps of a connection's requests: only those not yet answered. A
 * keep-alive connection serves many requests between two of its checks; each answered one must be
 * let go, or under load the node holds tens of thousands of them (and their bodies) in its heap.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConnectionLimitsTest {

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer server;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      server.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_keep_alive_connection_holds_no_answered_request_until_its_next_check(Vertx vertx) throws Exception {
    // a check only every 60 s: within this test only the requests' own arrivals may let answered ones go
    HttpLimits limits = new HttpLimits(60, 60, 10, 0, 0);
    ConnectionLimits connections = new ConnectionLimits(vertx, limits);
    Context serverContext = vertx.getOrCreateContext();
    server = onContext(serverContext, () -> vertx.createHttpServer()
        .connectionHandler(connections::opened)
        .requestHandler(request -> {
          connections.requestArrived(request);
          request.response().end("ok");
        })
        .listen(0, "127.0.0.1")).await(10, TimeUnit.SECONDS);
    // the JDK's client keeps one connection alive and sends each request after the last answer
    URI uri = URI.create("http://127.0.0.1:" + server.actualPort() + "/");
    for (int i = 0; i < 200; i++) {
      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
    }

    assertThat(onContext(serverContext, () -> Future.succeededFuture(connections.openConnections()))
        .await(10, TimeUnit.SECONDS)).as("connections open").isEqualTo(1);
    // the last request is answered too; it is let go by the next arrival or check
    assertThat(onContext(serverContext, () -> Future.succeededFuture(connections.requestsHeld()))
        .await(10, TimeUnit.SECONDS)).as("requests held after 200 answered on one connection").isLessThanOrEqualTo(1);
  }

  /** ConnectionLimits is used on its server's event loop only, as in the node. */
  private static <T> Future<T> onContext(Context context, Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }
}
