package dev.switchboard.app;

import dev.switchboard.app.config.Configuration;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real Switchboard node started in-process for a test: the configuration of {@code config/default.json}
 * with a free HTTP port, an embedded store in the test's temporary folder and short poll intervals,
 * plus the test's own overrides; and a {@link WebClient} aimed at its HTTP API.
 *
 * <p>Every wait is bounded ({@link #TIMEOUT}) and made from the test's thread, never from an event loop:
 * a test that would hang fails instead, saying what it waited for.
 */
public final class TestNode {

  /** How long any single wait lasts at most. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  public static final Set<String> FINAL = Set.of("CONFIRMED", "CANCELLED");

  private final Vertx vertx;
  private final JsonObject config;
  private final Node node;
  private final WebClient client;

  private TestNode(Vertx vertx, JsonObject config, Node node) {
    this.vertx = vertx;
    this.config = config;
    this.node = node;
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1")
        .setDefaultPort(node.httpPort())
        .setKeepAlive(false));
  }

  /** The defaults, made fit for a test: a free port, a store under {@code dir}, quick polls and retries. */
  public static JsonObject config(Path dir) {
    JsonObject config = Configuration.defaults();
    config.getJsonObject("http").put("host", "127.0.0.1").put("port", 0);
    config.getJsonObject("store").getJsonObject("embedded")
        .put("path", dir.resolve("switchboard.db").toString())
        .put("synchronous", "NORMAL");
    config.getJsonObject("transport").getJsonObject("local").put("pollIntervalMillis", 50);
    config.getJsonObject("outbox").put("pollIntervalMillis", 50);
    config.getJsonObject("projections").put("pollIntervalMillis", 50);
    config.getJsonObject("metrics").put("lagIntervalMillis", 100);
    config.getJsonObject("consumers").getJsonObject("retry")
        .put("initialBackoffMillis", 10).put("maxBackoffMillis", 100);
    return config;
  }

  /** {@link #config(Path)} with the given overrides merged in deeply (only the keys they name change). */
  public static JsonObject config(Path dir, JsonObject overrides) {
    return config(dir).mergeIn(overrides, true);
  }

  public static TestNode start(Vertx vertx, JsonObject config) {
    Node node = await(Node.start(vertx, config), "the node to start");
    return new TestNode(vertx, config, node);
  }

  /** A node on a Vert.x made by {@link NodeVertx}, as the fat jar runs it: Vert.x's and the JVM's meters too. */
  public static TestNode startAsTheAppDoes(JsonObject config) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = await(NodeVertx.create(config, registry), "the node's Vert.x to start");
    Node node = await(Node.start(vertx, config, registry), "the node to start");
    return new TestNode(vertx, config, node);
  }

  /** Stops the node and closes the Vert.x it runs on (for {@link #startAsTheAppDoes}). */
  public void stopWithItsVertx() {
    stop();
    await(vertx.close(), "the node's Vert.x to close");
  }

  /** Stops this node and starts a new one on the same configuration, so on the same data file. */
  public TestNode restart() {
    stop();
    return start(vertx, config);
  }

  public void stop() {
    client.close();
    await(node.stop(), "the node to stop");
  }

  public Node node() {
    return node;
  }

  public EventStore store() {
    return node.store();
  }

  public Transport transport() {
    return node.transport();
  }

  public JsonObject config() {
    return config;
  }

  public int port() {
    return node.httpPort();
  }

  public WebClient client() {
    return client;
  }

  // ---- HTTP ----------------------------------------------------------------------------------

  public HttpResponse<Buffer> get(String path) {
    return send(client.get(path), null);
  }

  public HttpResponse<Buffer> post(String path, JsonObject body) {
    return post(path, body.toBuffer(), MultiMap.caseInsensitiveMultiMap());
  }

  public HttpResponse<Buffer> post(String path, Buffer body, MultiMap headers) {
    return await(postAsync(path, body, headers), "POST " + path);
  }

  /** Sends without waiting, to have several requests in flight at once. */
  public Future<HttpResponse<Buffer>> postAsync(String path, Buffer body, MultiMap headers) {
    HttpRequest<Buffer> request = client.post(path).putHeaders(headers);
    if (!headers.contains("Content-Type")) {
      request.putHeader("Content-Type", "application/json");
    }
    return body == null ? request.send() : request.sendBuffer(body);
  }

  public HttpResponse<Buffer> request(HttpMethod method, String path) {
    return send(client.request(method, path), null);
  }

  private HttpResponse<Buffer> send(HttpRequest<Buffer> request, Buffer body) {
    return await(body == null ? request.send() : request.sendBuffer(body), request.method() + " " + request.uri());
  }

  /** Places an order that the API accepts; its id. */
  public String place(JsonObject order) {
    HttpResponse<Buffer> response = post("/orders", order);
    if (response.statusCode() != 202) {
      throw new AssertionError("POST /orders answered " + response.statusCode() + " " + response.bodyAsString()
          + " to " + order.encode());
    }
    return response.bodyAsJsonObject().getString("orderId");
  }

  /**
   * Appends an {@code OrderPlaced} of {@code version} to the log, as an orders node of the release
   * that writes that version would (the order id is {@code data}'s).
   */
  public void appendOrderPlaced(int version, JsonObject data) {
    String orderId = data.getString("orderId");
    EventEnvelope placed = new EventEnvelope(UUID.randomUUID().toString(), "OrderPlaced", "/orders", orderId,
        Instant.now().toString(), "urn:switchboard:schema:OrderPlaced:" + version, version, 0, orderId,
        "request-" + orderId, data);
    await(store().commit(UnitOfWork.of(new StreamAppend("orders/" + orderId, ExpectedVersion.NONE, List.of(placed)))),
        "appending an OrderPlaced of version " + version);
  }

  /** {@code GET /orders/{id}}, polled until the order is CONFIRMED or CANCELLED; its read model then. */
  public JsonObject awaitFinal(String orderId) {
    return poll("order " + orderId + " to be CONFIRMED or CANCELLED", () -> {
      HttpResponse<Buffer> response = get("/orders/" + orderId);
      return response.statusCode() == 200 ? response.bodyAsJsonObject() : null;
    }, view -> view != null && FINAL.contains(view.getString("status")));
  }

  /** {@code GET /orders/{id}/events}: the order's history as the API serves it (200 expected). */
  public JsonArray events(String orderId) {
    HttpResponse<Buffer> response = get("/orders/" + orderId + "/events");
    if (response.statusCode() != 200) {
      throw new AssertionError("GET /orders/" + orderId + "/events answered " + response.statusCode() + " "
          + response.bodyAsString());
    }
    JsonObject body = response.bodyAsJsonObject();
    if (!orderId.equals(body.getString("orderId"))) {
      throw new AssertionError("the events of " + orderId + " came back as those of " + body.getString("orderId"));
    }
    return body.getJsonArray("events");
  }

  /** The order's history over HTTP, polled until it has an event of the given type. */
  public JsonArray awaitEvent(String orderId, String type) {
    return poll("order " + orderId + " to have a " + type + " event", () -> events(orderId),
        events -> types(events).contains(type));
  }

  /** What the store holds about a subject (e.g. a product), polled until the condition holds. */
  public List<StoredEvent> awaitSubject(String subject, String what, Predicate<List<StoredEvent>> condition) {
    return poll(what, () -> await(store().readSubject(subject), "reading subject " + subject), condition);
  }

  public static List<String> types(JsonArray events) {
    return events.stream().map(event -> ((JsonObject) event).getString("type")).toList();
  }

  public static JsonObject order(String customerId, JsonObject... items) {
    JsonArray lines = new JsonArray();
    for (JsonObject item : items) {
      lines.add(item);
    }
    return new JsonObject().put("customerId", customerId).put("items", lines);
  }

  public static JsonObject item(String productId, Object quantity, Object unitPrice) {
    return new JsonObject().put("productId", productId).put("quantity", quantity).put("unitPrice", unitPrice);
  }

  // ---- waiting -------------------------------------------------------------------------------

  /** The result of a future, waited for from the test's thread; an {@link AssertionError} on failure or timeout. */
  public static <T> T await(Future<T> future, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not complete within " + TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  /** Reads a value again and again (every 20 ms) until it satisfies the condition, for {@link #TIMEOUT} at most. */
  public static <T> T poll(String what, Supplier<T> read, Predicate<T> condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    T last = read.get();
    while (!condition.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up, after " + TIMEOUT + ", waiting for " + what + "; last seen: " + last);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
      last = read.get();
    }
    return last;
  }

  /** {@code Main.profiles}, which is package-private, for the configuration tests of another package. */
  public static List<Path> profiles(String... args) {
    return Main.profiles(args);
  }

  /** Why a node refused to start with {@code config}; fails if it started, or neither started nor failed in time. */
  public static Throwable startFailure(Vertx vertx, JsonObject config) {
    try {
      Node node = Node.start(vertx, config).toCompletionStage().toCompletableFuture()
          .get(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      node.stop();
      throw new AssertionError("the node started with " + config.encode());
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the node neither started nor failed", e);
    }
  }
}
