package dev.switchboard.app.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.app.TestNode;
import dev.switchboard.orders.api.OrdersVerticle;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.switchboard.app.TestNode.await;
import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP edge under hostile load, on a real node over real sockets: half-sent requests and idle
 * connections are closed, connections are capped, a greedy client gets {@code 429}, a full write
 * queue {@code 503} (both with {@code Retry-After}), and every answer carries the security headers.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostileLoadTest {

  private static final String HALF_SENT = "POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl";

  @TempDir
  Path dir;

  private TestNode node;
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stopTheNode() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void five_hundred_half_sent_requests_are_all_closed_after_the_header_timeout(Vertx vertx) throws IOException {
    start(vertx, new JsonObject().put("headerTimeoutSeconds", 1).put("idleTimeoutSeconds", 60));
    List<Socket> halfSent = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      halfSent.add(open(HALF_SENT));
    }

    for (Socket socket : halfSent) {
      assertThat(closedByTheServerWithin(socket, Duration.ofSeconds(5))).as("closed by the server").isTrue();
    }
    // the node still answers
    assertThat(node.get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void a_request_trickled_a_byte_at_a_time_is_closed_all_the_same(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("headerTimeoutSeconds", 1).put("idleTimeoutSeconds", 60));
    Socket socket = open("GET /health/live HTTP/1.1\r\n");
    long started = System.nanoTime();
    boolean closed = false;
    // never idle, never done: one header byte every 200 ms
    while (!closed && System.nanoTime() - started < Duration.ofSeconds(6).toNanos()) {
      try {
        socket.getOutputStream().write('X');
        socket.getOutputStream().flush();
        closed = closedByTheServerWithin(socket, Duration.ofMillis(200));
      } catch (IOException reset) {
        closed = true;
      }
    }
    assertThat(closed).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void a_request_body_trickled_a_byte_at_a_time_is_closed_too(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("headerTimeoutSeconds", 1).put("idleTimeoutSeconds", 60));
    Socket socket = open("POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 10000\r\n\r\n{\"customerId\": \"");
    long started = System.nanoTime();
    boolean closed = false;
    while (!closed && System.nanoTime() - started < Duration.ofSeconds(8).toNanos()) {
      try {
        socket.getOutputStream().write('x');
        socket.getOutputStream().flush();
        closed = closedByTheServerWithin(socket, Duration.ofMillis(200));
      } catch (IOException reset) {
        closed = true;
      }
    }
    assertThat(closed).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void an_idle_connection_is_closed_after_the_idle_timeout(Vertx vertx) throws IOException {
    start(vertx, new JsonObject().put("headerTimeoutSeconds", 30).put("idleTimeoutSeconds", 1));
    Socket idle = open("");

    assertThat(closedByTheServerWithin(idle, Duration.ofSeconds(4))).isTrue();
  }

  @Test
  void a_connection_beyond_the_cap_is_closed_at_once_and_one_is_let_in_when_another_goes(Vertx vertx)
      throws IOException {
    start(vertx, new JsonObject().put("maxConnections", 3).put("headerTimeoutSeconds", 30));
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(open(HALF_SENT));
    }
    assertThat(closedByTheServerWithin(held.get(0), Duration.ofMillis(300))).isFalse();

    assertThat(closedByTheServerWithin(open(HALF_SENT), Duration.ofSeconds(2))).as("the fourth").isTrue();

    held.get(0).close();
    TestNode.poll("a connection to be let in again", () -> {
      try (Socket next = new Socket("127.0.0.1", node.port())) {
        next.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        return new String(next.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        return "";
      }
    }, answer -> answer.startsWith("HTTP/1.1 200"));
  }

  @Test
  void a_client_over_its_rate_gets_429_with_retry_after_and_a_json_error(Vertx vertx) {
    start(vertx, new JsonObject().put("rateLimit", new JsonObject().put("requestsPerSecond", 0.5).put("burst", 3)));
    for (int i = 0; i < 3; i++) {
      assertThat(node.get("/health/live").statusCode()).isEqualTo(200);
    }

    HttpResponse<Buffer> refused = node.get("/health/live");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.getHeader("Retry-After")).isEqualTo("2");
    assertThat(refused.getHeader("Content-Type")).startsWith("application/json");
    assertThat(refused.bodyAsJsonObject().fieldNames()).containsExactly("error");
    assertSecurityHeaders(refused);
  }

  @Test
  void a_full_write_queue_answers_503_with_retry_after_and_logs_one_line_not_a_stack_trace_each(Vertx vertx) {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger orders = (Logger) LoggerFactory.getLogger(OrdersVerticle.class);
    orders.addAppender(log);
    log.start();
    try {
      node = TestNode.start(vertx, TestNode.config(dir, new JsonObject()
          // a queue of a few writes: enough for the node's own writes as it starts, far too few for 200 orders
          .put("store", new JsonObject().put("embedded", new JsonObject().put("writeQueue", 4)))
          .put("http", new JsonObject().put("rateLimit", new JsonObject().put("requestsPerSecond", 0)))));

      List<Future<HttpResponse<Buffer>>> placing = IntStream.range(0, 200)
          .mapToObj(i -> node.postAsync("/orders", order("customer-" + i, item("sku-1", 1, 10)).toBuffer(),
              MultiMap.caseInsensitiveMultiMap()))
          .toList();
      List<HttpResponse<Buffer>> answers = placing.stream().map(f -> await(f, "an answer")).toList();

      assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(202, 503).contains(503);
      HttpResponse<Buffer> refused = answers.stream().filter(a -> a.statusCode() == 503).findFirst().orElseThrow();
      assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
      assertThat(refused.bodyAsJsonObject().fieldNames()).containsExactly("error");
      assertThat(refused.bodyAsString()).doesNotContain("queue").doesNotContain("Exception");
      List<ILoggingEvent> refusals = log.list.stream()
          .filter(e -> e.getFormattedMessage().contains("placing orders failed")).toList();
      assertThat(refusals).hasSize(1).allSatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getThrowableProxy()).isNull();
      });
    } finally {
      orders.detachAppender(log);
    }
  }

  @Test
  void every_answer_carries_the_security_headers_the_page_included(Vertx vertx) {
    start(vertx, new JsonObject());

    for (String path : List.of("/", "/assets/live.css", "/health/live", "/no-such-thing", "/orders/%zz")) {
      HttpResponse<Buffer> answer = node.get(path);
      assertThat(answer.statusCode()).as(path).isLessThan(500);
      assertSecurityHeaders(answer);
    }
    String csp = node.get("/").getHeader("Content-Security-Policy");
    assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
  }

  // ------------------------------------------------------------------ helpers

  private void start(Vertx vertx, JsonObject http) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("http", http)));
  }

  private static void assertSecurityHeaders(HttpResponse<Buffer> answer) {
    assertThat(answer.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(answer.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(answer.getHeader("Content-Security-Policy")).isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY);
  }

  private Socket open(String firstBytes) throws IOException {
    Socket socket = new Socket("127.0.0.1", node.port());
    sockets.add(socket);
    socket.getOutputStream().write(firstBytes.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** Whether the server closed the connection (end of stream or reset) within {@code within}. */
  private static boolean closedByTheServerWithin(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    InputStream in = socket.getInputStream();
    try {
      while (in.read() != -1) {
        // an answer (a 408, say) may come before the close
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
