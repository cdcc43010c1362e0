package dev.switchboard.app;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety of the real process: the fat jar is launched as a child process, loaded with
 * concurrent orders (most within the payment limit, some over it, some for a product nobody
 * stocks, each under its own {@code Idempotency-Key}) and, while orders are still coming in and the
 * saga is mid-flow, killed with SIGKILL (first test) or stopped with SIGTERM (second test). It is
 * then restarted on the same data file and port, every request whose answer was lost is sent again
 * under the same key, and every order must end exactly once, the way its kind says, with one
 * notification: nothing committed is lost, nothing is done twice, no retry makes a second order.
 *
 * <p>Nothing here asserts on timing except the bounds the design promises (start-up, shutdown within
 * {@code shutdown.timeoutMillis}); every wait is bounded polling. Each test's data file and the
 * processes' logs are kept under {@code app/target/crash-safety-it/} for a post-mortem.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CrashSafetyIT {

  private static final int CLIENTS = 4;
  private static final int MAX_AMOUNT = 1000;
  private static final long SHUTDOWN_TIMEOUT_MILLIS = 15_000;
  private static final Duration STARTUP = Duration.ofSeconds(30);
  /** How long the orders get to settle after a restart: an upper bound, not an expectation. */
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final List<String> WITHIN_LIMITS_HISTORY =
      List.of("OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed", "NotificationSent");
  private static final List<String> OVER_LIMIT_HISTORY = List.of("OrderPlaced", "StockReserved", "PaymentDeclined",
      "StockReleased", "OrderCancelled", "NotificationSent");
  private static final List<String> UNKNOWN_PRODUCT_HISTORY =
      List.of("OrderPlaced", "StockUnavailable", "OrderCancelled", "NotificationSent");

  private final List<AppProcess> launched = new ArrayList<>();

  @AfterEach
  void killEveryProcessLeft() {
    for (AppProcess app : launched) {
      app.close();
    }
  }

  @Test
  void orders_placed_while_the_process_is_killed_all_end_exactly_once_after_a_restart() throws Exception {
    Path dir = AppProcess.workDir("sigkill");
    int port = AppProcess.freePort();
    List<Spec> specs = specs("kill", 300);

    long began = System.nanoTime();
    AppProcess first = launch("first", dir, port);
    first.awaitHealthy(STARTUP);
    Instant[] killedAt = new Instant[1];
    Placement placement = placeAndInterrupt(first, specs, 100, () -> {
      killedAt[0] = Instant.now();
      first.kill();
      assertThat(first.isAlive()).as("the app after SIGKILL").isFalse();
    });
    assertThat(placement.unexpected).as("answers other than 202 (or 503, try again, or 504, outcome unknown) before the kill").isEmpty();
    assertThat(placement.answered).as("the kill came while orders were still being placed")
        .hasSizeLessThan(specs.size());
    Set<Integer> acceptedBeforeKill = Set.copyOf(placement.answered.keySet());

    long killed = System.nanoTime();
    AppProcess second = launch("restarted", dir, port);
    second.awaitHealthy(STARTUP);
    long restarted = System.nanoTime();
    // not asserted (it depends on speed), reported as evidence that the saga was caught mid-flow
    HttpClient probe = client();
    long pendingAtRestart = acceptedBeforeKill.stream()
        .map(index -> status(probe, second, placement.answered.get(index).orderId()))
        .filter("PENDING"::equals).count();
    System.out.printf("[CrashSafetyIT] SIGKILL: %d accepted before the kill, %d answers lost in flight, %d never sent;"
            + " %d of the accepted still PENDING right after the restart%n", acceptedBeforeKill.size(),
        placement.lost.size(), specs.size() - acceptedBeforeKill.size() - placement.lost.size(), pendingAtRestart);

    Map<Integer, Answer> answers = resendWhatWasLost(second, specs, placement);
    Map<String, JsonArray> histories = assertEveryOrderEndsOnceAsExpected(second, dir, specs, answers);

    // also not asserted: how many of the lost answers were for orders the first process had committed
    long committedBeforeKill = placement.lost.stream()
        .map(index -> event(histories.get(answers.get(index).orderId()), "OrderPlaced").getString("time"))
        .filter(time -> Instant.parse(time).isBefore(killedAt[0])).count();
    System.out.printf("[CrashSafetyIT] SIGKILL: %d of the %d lost answers were for orders committed before the kill"
            + " (their retry got the first answer); phases: %d ms to the kill (clients stopped), %d ms to healthy again, %d ms to"
            + " settle and check%n", committedBeforeKill, placement.lost.size(), millis(killed - began),
        millis(restarted - killed), millis(System.nanoTime() - restarted));
  }

  @Test
  void a_sigterm_while_orders_are_in_flight_stops_the_app_cleanly_and_loses_nothing() throws Exception {
    Path dir = AppProcess.workDir("sigterm");
    int port = AppProcess.freePort();
    List<Spec> specs = specs("term", 150);

    AppProcess first = launch("first", dir, port);
    first.awaitHealthy(STARTUP);
    long[] terminatedAt = new long[1];
    Placement placement = placeAndInterrupt(first, specs, 50, () -> {
      terminatedAt[0] = System.nanoTime();
      first.terminate();
    });
    long left = TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_TIMEOUT_MILLIS) - (System.nanoTime() - terminatedAt[0]);
    boolean exited = first.awaitExit(Duration.ofNanos(Math.max(0, left)));
    assertThat(exited).as("the app exits within shutdown.timeoutMillis (%d ms) of a SIGTERM; log %s:%n%s",
        SHUTDOWN_TIMEOUT_MILLIS, first.logFile(), first.logTail(30)).isTrue();
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - terminatedAt[0]);
    int exitCode = first.exitValue();
    System.out.printf("[CrashSafetyIT] SIGTERM: exit code %d after about %d ms (limit %d ms); %d accepted, %d answers"
            + " lost, %d never sent%n", exitCode, tookMillis, SHUTDOWN_TIMEOUT_MILLIS, placement.answered.size(),
        placement.lost.size(), specs.size() - placement.answered.size() - placement.lost.size());
    // the JVM answers a SIGTERM with 128 + 15 once its shutdown hooks are done; 0 would be fine too
    assertThat(exitCode).as("exit code after SIGTERM").isIn(0, 143);
    assertThat(first.log())
        .as("the log of a graceful stop (%s)", first.logFile())
        .contains("switchboard stopping: draining work in flight")
        .contains("switchboard stopped")
        .doesNotContain("did not stop cleanly")
        .doesNotContain("exiting anyway");
    assertThat(placement.unexpected).as("answers other than 202 (or 503, try again, or 504, outcome unknown) during the shutdown").isEmpty();

    AppProcess second = launch("restarted", dir, port);
    second.awaitHealthy(STARTUP);
    HttpClient probe = client();
    long pendingAtRestart = placement.answered.values().stream()
        .map(answer -> status(probe, second, answer.orderId()))
        .filter("PENDING"::equals).count();
    System.out.printf("[CrashSafetyIT] SIGTERM: %d of the accepted still PENDING right after the restart%n",
        pendingAtRestart);
    Map<Integer, Answer> answers = resendWhatWasLost(second, specs, placement);
    assertEveryOrderEndsOnceAsExpected(second, dir, specs, answers);
  }

  // ---------------------------------------------------------------------------------------------
  // the orders

  enum Kind { WITHIN_LIMITS, OVER_LIMIT, UNKNOWN_PRODUCT }

  record Spec(int index, Kind kind, String idempotencyKey, JsonObject body) {
  }

  record Answer(int status, JsonObject body) {
    String orderId() {
      return body.getString("orderId");
    }
  }

  /** A deterministic mix: one in ten for an unknown product, two in ten over the payment limit. */
  private static List<Spec> specs(String run, int count) {
    String prefix = run + "-" + System.currentTimeMillis() + "-";
    List<Spec> specs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Kind kind = i % 10 == 3 ? Kind.UNKNOWN_PRODUCT : i % 10 == 1 || i % 10 == 6 ? Kind.OVER_LIMIT : Kind.WITHIN_LIMITS;
      JsonArray items = new JsonArray();
      switch (kind) {
        // the catalog prices sku-N at N × 10.00
        case WITHIN_LIMITS -> items
            .add(item("sku-" + (i % 5 + 1), 1 + i % 3, (i % 5 + 1) * 10 + ""))
            .add(item("sku-" + ((i + 2) % 5 + 1), 1, ((i + 2) % 5 + 1) * 10 + ""));
        // 21 × 50 = 1050, over the limit of 1000
        case OVER_LIMIT -> items.add(item("sku-5", 21, "50"));
        case UNKNOWN_PRODUCT -> items
            .add(item("sku-1", 1, "10"))
            .add(item("no-such-product-" + i, 1, "5"));
      }
      JsonObject body = new JsonObject().put("customerId", "customer-" + (i % 17)).put("items", items);
      specs.add(new Spec(i, kind, prefix + i, body));
    }
    return specs;
  }

  private static JsonObject item(String productId, int quantity, String unitPrice) {
    return new JsonObject().put("productId", productId).put("quantity", quantity)
        .put("unitPrice", new java.math.BigDecimal(unitPrice));
  }

  // ---------------------------------------------------------------------------------------------
  // placing, interrupted

  /** What the clients learnt while the app ran. An index neither answered nor lost was never sent. */
  static final class Placement {
    final Map<Integer, Answer> answered = new ConcurrentHashMap<>();
    /** Sent, but no answer came back (or a 503, "try again", or a 504, "outcome unknown"). */
    final Set<Integer> lost = ConcurrentHashMap.newKeySet();
    final List<String> unexpected = new CopyOnWriteArrayList<>();
  }

  interface Interruption {
    void run() throws Exception;
  }

  /**
   * Places the orders from {@link #CLIENTS} threads; once {@code interruptAfter} of them have been
   * accepted, runs {@code interruption} while the clients are still sending, then stops them.
   */
  private static Placement placeAndInterrupt(AppProcess app, List<Spec> specs, int interruptAfter,
                                             Interruption interruption) throws Exception {
    HttpClient client = client();
    Placement placement = new Placement();
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean halted = new AtomicBoolean();
    CountDownLatch enough = new CountDownLatch(interruptAfter);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        workers.add(clients.submit(() -> {
          int index;
          while (!halted.get() && (index = next.getAndIncrement()) < specs.size()) {
            Spec spec = specs.get(index);
            try {
              Answer answer = post(client, app.uri("/orders"), spec);
              if (answer.status() == 202) {
                placement.answered.put(index, answer);
                enough.countDown();
              } else if (answer.status() == 503 || answer.status() == 504) { // not stored, or not known
                placement.lost.add(index);
              } else {
                placement.unexpected.add("request " + index + ": " + answer);
              }
            } catch (IOException noAnswer) {
              placement.lost.add(index);
            }
          }
          return null;
        }));
      }
      assertThat(enough.await(60, TimeUnit.SECONDS))
          .as("%d orders accepted within 60 s (%d were; unexpected answers: %s); log %s:%n%s", interruptAfter,
              placement.answered.size(), placement.unexpected, app.logFile(), app.logTail(30))
          .isTrue();
      interruption.run();
      halted.set(true);
      for (Future<?> worker : workers) {
        worker.get(2 * REQUEST_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    return placement;
  }

  /**
   * Sends again, under the same key, every request whose answer was lost (or that was never sent),
   * and a sample of the answered ones, which must get their first answer again. Returns every
   * request's answer.
   */
  private static Map<Integer, Answer> resendWhatWasLost(AppProcess app, List<Spec> specs, Placement placement)
      throws Exception {
    HttpClient client = client();
    Map<Integer, Answer> answers = new ConcurrentHashMap<>(placement.answered);
    List<Integer> unanswered = IntStream.range(0, specs.size())
        .filter(index -> !placement.answered.containsKey(index)).boxed().toList();
    List<Integer> sample = placement.answered.keySet().stream().sorted().filter(index -> index % 7 == 0).toList();
    Map<Integer, Answer> again = new ConcurrentHashMap<>();
    List<Integer> all = new ArrayList<>(unanswered);
    all.addAll(sample);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> sends = new ArrayList<>();
      for (int index : all) {
        sends.add(clients.submit(() -> {
          Answer answer = postUntilAnswered(client, app, specs.get(index));
          (placement.answered.containsKey(index) ? again : answers).put(index, answer);
          return null;
        }));
      }
      for (Future<?> send : sends) {
        send.get(60, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    for (int index : unanswered) {
      assertThat(answers.get(index).status()).as("request %d sent again after the restart", index).isEqualTo(202);
    }
    for (int index : sample) {
      assertThat(again.get(index))
          .as("request %d sent again under its Idempotency-Key gets its first answer", index)
          .isEqualTo(placement.answered.get(index));
    }
    assertThat(answers).hasSize(specs.size());
    return answers;
  }

  /** Retries a request that gets no answer (or a 503 or 504) a few times, always under the same key. */
  private static Answer postUntilAnswered(HttpClient client, AppProcess app, Spec spec) throws Exception {
    Exception lastFailure = null;
    Answer last = null;
    for (int attempt = 1; attempt <= 10; attempt++) {
      try {
        last = post(client, app.uri("/orders"), spec);
        if (last.status() != 503 && last.status() != 504) {
          return last;
        }
      } catch (IOException e) {
        lastFailure = e;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("request " + spec.index() + " got no answer after 10 tries: last " + last, lastFailure);
  }

  private static Answer post(HttpClient client, URI uri, Spec spec) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", spec.idempotencyKey())
        .POST(HttpRequest.BodyPublishers.ofString(spec.body().encode()))
        .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonObject body;
    try {
      body = new JsonObject(response.body());
    } catch (RuntimeException notJson) {
      body = new JsonObject().put("raw", response.body());
    }
    return new Answer(response.statusCode(), body);
  }

  // ---------------------------------------------------------------------------------------------
  // the proof

  /** Returns every order's history, by order id. */
  private Map<String, JsonArray> assertEveryOrderEndsOnceAsExpected(AppProcess app, Path dir, List<Spec> specs,
                                                                    Map<Integer, Answer> answers) throws Exception {
    Map<String, Spec> orders = new LinkedHashMap<>();
    for (Spec spec : specs) {
      orders.put(answers.get(spec.index()).orderId(), spec);
    }
    assertThat(orders).as("one order per request, whatever was retried").hasSize(specs.size());
    assertThat(orders.keySet()).doesNotContainNull();

    Map<String, JsonObject> views = awaitFinal(app, orders.keySet());
    Map<String, JsonArray> histories = awaitHistories(app, orders);

    for (Map.Entry<String, Spec> entry : orders.entrySet()) {
      String orderId = entry.getKey();
      Spec spec = entry.getValue();
      JsonObject view = views.get(orderId);
      JsonArray events = histories.get(orderId);
      String what = "order " + orderId + " (request " + spec.index() + ", " + spec.kind() + ")";
      List<String> types = events.stream().map(event -> ((JsonObject) event).getString("type")).toList();

      switch (spec.kind()) {
        case WITHIN_LIMITS -> {
          assertThat(view.getString("status")).as("%s status", what).isEqualTo("CONFIRMED");
          assertThat(types).as("%s history", what).containsExactlyInAnyOrderElementsOf(WITHIN_LIMITS_HISTORY);
        }
        case OVER_LIMIT -> {
          assertThat(view.getString("status")).as("%s status", what).isEqualTo("CANCELLED");
          assertThat(view.getString("reason")).as("%s reason", what).containsIgnoringCase("payment");
          assertThat(types).as("%s history", what).containsExactlyInAnyOrderElementsOf(OVER_LIMIT_HISTORY);
        }
        case UNKNOWN_PRODUCT -> {
          assertThat(view.getString("status")).as("%s status", what).isEqualTo("CANCELLED");
          assertThat(view.getString("reason")).as("%s reason", what).containsIgnoringCase("stock");
          assertThat(types).as("%s history", what).containsExactlyInAnyOrderElementsOf(UNKNOWN_PRODUCT_HISTORY);
        }
      }
      if ("CANCELLED".equals(view.getString("status"))) {
        assertThat(view.getString("reason")).as("%s: a cancelled order has a reason", what).isNotBlank();
      }
      // the spelled-out promise: one placement, one end, one notification
      assertThat(types.stream().filter("OrderPlaced"::equals)).as("%s OrderPlaced events", what).hasSize(1);
      assertThat(types.stream().filter(type -> type.equals("OrderConfirmed") || type.equals("OrderCancelled")))
          .as("%s final events", what).hasSize(1);
      assertThat(types.stream().filter("NotificationSent"::equals)).as("%s NotificationSent events", what).hasSize(1);
      assertThat(types.get(0)).as("%s first event", what).isEqualTo("OrderPlaced");

      JsonObject ending = event(events, view.getString("status").equals("CONFIRMED") ? "OrderConfirmed" : "OrderCancelled");
      if (ending.getString("type").equals("OrderCancelled")) {
        assertThat(ending.getJsonObject("data").getString("reason")).as("%s cancellation reason", what)
            .isEqualTo(view.getString("reason"));
      }
      assertThat(types.indexOf("NotificationSent")).as("%s notified after it ended", what)
          .isGreaterThan(types.indexOf(ending.getString("type")));
      assertThat(event(events, "NotificationSent").getJsonObject("data").getString("kind"))
          .as("%s notification kind", what)
          .isEqualTo(view.getString("status").equals("CONFIRMED") ? "ORDER_CONFIRMED" : "ORDER_CANCELLED");

      Set<String> ids = new HashSet<>();
      Map<String, List<Long>> sequences = new LinkedHashMap<>();
      for (Object raw : events) {
        JsonObject event = (JsonObject) raw;
        assertThat(ids.add(event.getString("id"))).as("%s: event id %s once", what, event.getString("id")).isTrue();
        assertThat(event.getString("subject")).as("%s event subject", what).isEqualTo(orderId);
        sequences.computeIfAbsent(event.getString("source") + " " + event.getString("subject"), key -> new ArrayList<>())
            .add(event.getLong("sequence"));
      }
      sequences.forEach((stream, numbers) -> {
        for (int i = 1; i < numbers.size(); i++) {
          assertThat(numbers.get(i)).as("%s: sequence of %s strictly increasing: %s", what, stream, numbers)
              .isGreaterThan(numbers.get(i - 1));
        }
        assertThat(numbers.get(0)).as("%s: %s starts at 1: %s", what, stream, numbers).isEqualTo(1L);
      });
    }

    JsonObject deadLetters = new JsonObject(get(client(), app.uri("/dead-letters")).body());
    assertThat(deadLetters.getJsonArray("items")).as("dead letters").isEmpty();

    // the log itself, read beside the running app: one OrderPlaced per order, no orphan from a lost answer
    assertThat(placedInTheLog(dir)).as("orders placed in the event log")
        .containsExactlyInAnyOrderElementsOf(orders.keySet());
    return histories;
  }

  /** Polls each order's read model until it is no longer PENDING, up to {@link #SETTLE}. */
  private static Map<String, JsonObject> awaitFinal(AppProcess app, Set<String> orderIds) throws Exception {
    HttpClient client = client();
    Map<String, JsonObject> views = new HashMap<>();
    Set<String> waiting = new HashSet<>(orderIds);
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      for (String orderId : List.copyOf(waiting)) {
        HttpResponse<String> response = get(client, app.uri("/orders/" + orderId));
        assertThat(response.statusCode()).as("GET /orders/%s: %s", orderId, response.body()).isEqualTo(200);
        JsonObject view = new JsonObject(response.body());
        views.put(orderId, view);
        if (!"PENDING".equals(view.getString("status"))) {
          waiting.remove(orderId);
        }
      }
      if (!waiting.isEmpty()) {
        Thread.sleep(200);
      }
    }
    assertThat(waiting).as("orders still PENDING %s after the restart (e.g. %s); log %s:%n%s", SETTLE,
        waiting.stream().limit(3).map(views::get).toList(), app.logFile(), app.logTail(30)).isEmpty();
    return views;
  }

  /**
   * Polls each order's events until its history is as long as its kind's saga makes it and holds its
   * notification, up to {@link #SETTLE}; then reads every history once more, for the assertions.
   */
  private static Map<String, JsonArray> awaitHistories(AppProcess app, Map<String, Spec> orders) throws Exception {
    HttpClient client = client();
    Map<String, JsonArray> histories = new HashMap<>();
    Set<String> waiting = new HashSet<>(orders.keySet());
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      for (String orderId : List.copyOf(waiting)) {
        JsonArray events = events(client, app, orderId);
        boolean notified = events.stream().anyMatch(event -> "NotificationSent".equals(((JsonObject) event).getString("type")));
        if (notified && events.size() >= expectedHistory(orders.get(orderId).kind()).size()) {
          waiting.remove(orderId);
        }
      }
      if (!waiting.isEmpty()) {
        Thread.sleep(200);
      }
    }
    for (String orderId : orders.keySet()) {
      histories.put(orderId, events(client, app, orderId));
    }
    assertThat(waiting).as("orders whose history did not complete within %s (e.g. %s)", SETTLE,
        waiting.stream().limit(3).map(id -> id + ": " + types(histories.get(id))).toList()).isEmpty();
    return histories;
  }

  private static List<String> expectedHistory(Kind kind) {
    return switch (kind) {
      case WITHIN_LIMITS -> WITHIN_LIMITS_HISTORY;
      case OVER_LIMIT -> OVER_LIMIT_HISTORY;
      case UNKNOWN_PRODUCT -> UNKNOWN_PRODUCT_HISTORY;
    };
  }

  private static JsonArray events(HttpClient client, AppProcess app, String orderId) throws Exception {
    HttpResponse<String> response = get(client, app.uri("/orders/" + orderId + "/events"));
    assertThat(response.statusCode()).as("GET /orders/%s/events: %s", orderId, response.body()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("orderId")).isEqualTo(orderId);
    return body.getJsonArray("events");
  }

  private static JsonObject event(JsonArray events, String type) {
    return events.stream().map(JsonObject.class::cast).filter(event -> type.equals(event.getString("type")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + type + " in " + types(events)));
  }

  private static List<String> types(JsonArray events) {
    return events == null ? List.of()
        : events.stream().map(event -> ((JsonObject) event).getString("type")).collect(Collectors.toList());
  }

  private static String status(HttpClient client, AppProcess app, String orderId) {
    try {
      return new JsonObject(get(client, app.uri("/orders/" + orderId)).body()).getString("status");
    } catch (Exception e) {
      return "unknown (" + e + ")";
    }
  }

  /** The subjects of the OrderPlaced events in the data file, read-only while the app runs (WAL). */
  private static List<String> placedInTheLog(Path dir) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5000);
    String url = "jdbc:sqlite:" + dir.resolve("data").resolve("switchboard.db");
    List<String> subjects = new ArrayList<>();
    try (Connection connection = config.createConnection(url);
         PreparedStatement query = connection.prepareStatement("SELECT subject FROM events WHERE type = ?")) {
      query.setString(1, "OrderPlaced");
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          subjects.add(rows.getString(1));
        }
      }
    }
    return subjects;
  }

  // ---------------------------------------------------------------------------------------------
  // plumbing

  private AppProcess launch(String name, Path dir, int port) throws IOException {
    AppProcess app = AppProcess.start(name, dir, port, Map.of(
        "SWITCHBOARD_PAYMENTS_MAXAMOUNT", Integer.toString(MAX_AMOUNT),
        "SWITCHBOARD_SHUTDOWN_TIMEOUTMILLIS", Long.toString(SHUTDOWN_TIMEOUT_MILLIS)));
    launched.add(app);
    return app;
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  private static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
