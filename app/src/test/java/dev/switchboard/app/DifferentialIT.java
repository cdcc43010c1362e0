package dev.switchboard.app;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same recorded commands end in the same state as they did on the build before the
 * batch-native runtime ({@code 4affe32}): every answer to {@code POST /orders}, every order's events
 * and its view, the stock documents and every read model's rows.
 *
 * <p>The commands ({@code differential/commands.json}) come in waves: the orders of a wave are placed
 * together, and the next wave starts once each of them is final and notified. A wave orders the
 * scarce product once at most, so which order gets its last units never depends on timing; within a
 * wave the node decides its orders side by side, in batches. The state is made comparable first:
 * ids the node makes become their order's command key or a numbered placeholder, times are masked, and
 * events are read in their type's newest version (the old build wrote {@code OrderPlaced} v1), so
 * the old log is also read through today's upcasters.
 *
 * <p>The expected state ({@code differential/before-batches.json}) was recorded by running this
 * test against the old build's jar on the embedded store: {@code -Dswitchboard.differential.record=<its jar>
 * -Dit.test=DifferentialIT#on_the_embedded*} (through failsafe) runs that jar instead and writes what it saw to
 * {@code target/differential/recorded.json}. Each run writes what this build saw to
 * {@code target/differential/actual-<store>.json}, to diff by hand.
 *
 * <p>One change to that recording was made by hand, on purpose: the amounts written into texts (the
 * notification's "Total: 90.00.", a decline's "total 1020.00 is over the limit") have the scale of
 * the shop's prices, as configured ({@code "30.00"}). The old build read amounts back from its store as
 * doubles and wrote "90.0"; since amounts are read back exactly ({@code ExactJson}), they are written
 * as the prices they come from, whether the event was read from the store or from memory.
 */
class DifferentialIT {

  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
  /** Attributes that differ from run to run and say nothing of what happened: the trace's random ids. */
  private static final List<String> VOLATILE_ATTRIBUTES = List.of("traceparent", "tracestate");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final List<AppProcess> launched = new ArrayList<>();
  /** The node's order id of each command key that was accepted, and back. */
  private final Map<String, String> orderIds = new LinkedHashMap<>();
  private final Map<String, String> keysByOrderId = new HashMap<>();

  private String database;

  @AfterEach
  void stop() {
    launched.forEach(AppProcess::close);
    if (database != null) {
      TestPostgres.dropDatabase(database);
    }
  }

  @Test
  void on_the_embedded_store_the_recorded_commands_end_in_the_state_the_build_before_batches_reached()
      throws Exception {
    String recordWith = System.getProperty("switchboard.differential.record");
    Path dir = AppProcess.workDir("differential-embedded");
    Path file = dir.resolve("data").resolve("switchboard.db");
    JsonObject state = run(recordWith == null ? AppProcess.jar() : Path.of(recordWith), dir, Map.of(),
        () -> DriverManager.getConnection("jdbc:sqlite:" + file));
    if (recordWith != null) {
      write("recorded.json", state);
      return;
    }
    assertSameAsBeforeBatches(write("actual-embedded.json", state), state);
  }

  /** The same on PostgreSQL, against what the old build did on the embedded store: both stores end alike. */
  @Test
  void on_postgresql_the_recorded_commands_end_in_the_state_the_build_before_batches_reached() throws Exception {
    database = TestPostgres.createDatabase();
    String db = database;
    JsonObject state = run(AppProcess.jar(), AppProcess.workDir("differential-postgres"),
        Map.of("SWITCHBOARD_STORE_TYPE", "postgres", "SWITCHBOARD_STORE_POSTGRES_URI", TestPostgres.uri(db)),
        () -> TestPostgres.connect(db));
    assertSameAsBeforeBatches(write("actual-postgres.json", state), state);
  }

  /** Writes the state with one line per order, product or row, so that two runs' files diff line by line. */
  private static Path write(String name, JsonObject state) throws IOException {
    StringBuilder text = new StringBuilder("{\n");
    List<String> parts = new ArrayList<>(state.fieldNames());
    for (String part : parts) {
      Object value = state.getValue(part);
      text.append("  \"").append(part).append("\": ");
      if (value instanceof JsonObject entries && !part.equals("readModels")) {
        appendLinePerEntry(text, entries, "  ");
      } else if (value instanceof JsonObject readModels) {
        text.append("{\n");
        List<String> names = new ArrayList<>(readModels.fieldNames());
        for (String readModel : names) {
          text.append("    \"").append(readModel).append("\": ");
          appendLinePerEntry(text, readModels.getJsonObject(readModel), "    ");
          text.append(readModel.equals(names.get(names.size() - 1)) ? "\n" : ",\n");
        }
        text.append("  }");
      } else {
        text.append(io.vertx.core.json.Json.encode(value));
      }
      text.append(part.equals(parts.get(parts.size() - 1)) ? "\n" : ",\n");
    }
    Path out = Files.createDirectories(AppProcess.jar().getParent().resolve("differential"));
    return Files.writeString(out.resolve(name), text.append("}\n"));
  }

  private static void appendLinePerEntry(StringBuilder text, JsonObject entries, String indent) {
    text.append("{\n");
    List<String> keys = new ArrayList<>(entries.fieldNames());
    for (String key : keys) {
      text.append(indent).append("  ").append(io.vertx.core.json.Json.encode(key)).append(": ")
          .append(io.vertx.core.json.Json.encode(entries.getValue(key)))
          .append(key.equals(keys.get(keys.size() - 1)) ? "\n" : ",\n");
    }
    text.append(indent).append("}");
  }

  private static void assertSameAsBeforeBatches(Path written, JsonObject state) throws IOException {
    JsonObject expected = resource("differential/before-batches.json");
    List<String> differences = new ArrayList<>();
    for (String part : List.of("answers", "events", "stock")) {
      differences.addAll(differences(part, expected.getJsonObject(part), state.getJsonObject(part), false));
    }
    // a view or a read model's row may hold more than it did (the currency an order is in, since
    // OrderPlaced v2), never less
    differences.addAll(differences("views", expected.getJsonObject("views"), state.getJsonObject("views"), true));
    JsonObject readModelsBefore = expected.getJsonObject("readModels");
    JsonObject readModelsNow = state.getJsonObject("readModels");
    assertThat(readModelsNow.fieldNames()).as("read models").isEqualTo(readModelsBefore.fieldNames());
    for (String readModel : readModelsBefore.fieldNames()) {
      differences.addAll(differences("readModels/" + readModel, readModelsBefore.getJsonObject(readModel),
          readModelsNow.getJsonObject(readModel), true));
    }
    assertThat(differences).as("differences from the build before batches (all of this run in %s)", written)
        .isEmpty();
    assertThat(state.getJsonArray("deadLetters")).as("dead letters").isEmpty();
  }

  /**
   * What differs, entry by entry: {@code part/key: expected …, was …}. With {@code addedFieldsAllowed},
   * an entry that is an object may have fields the expected one has not.
   */
  private static List<String> differences(String part, JsonObject expected, JsonObject actual,
                                          boolean addedFieldsAllowed) {
    List<String> differences = new ArrayList<>();
    java.util.Set<String> keys = new java.util.TreeSet<>(expected.fieldNames());
    keys.addAll(actual.fieldNames());
    for (String key : keys) {
      Object before = expected.getValue(key);
      Object now = actual.getValue(key);
      if (addedFieldsAllowed && before instanceof JsonObject old && now instanceof JsonObject current) {
        JsonObject kept = new JsonObject();
        old.fieldNames().forEach(field -> kept.put(field, current.getValue(field)));
        now = kept;
      }
      if (!canonical(before).equals(canonical(now))) {
        differences.add(part + "/" + key + ": expected " + canonical(before) + ", was " + canonical(now));
      }
    }
    return differences;
  }

  /** The value as JSON text with every object's fields sorted. */
  private static String canonical(Object value) {
    if (value instanceof JsonObject object) {
      StringBuilder text = new StringBuilder("{");
      new java.util.TreeSet<>(object.fieldNames()).forEach(field -> text.append(text.length() > 1 ? "," : "")
          .append('"').append(field).append("\":").append(canonical(object.getValue(field))));
      return text.append('}').toString();
    }
    if (value instanceof JsonArray array) {
      StringBuilder text = new StringBuilder("[");
      array.forEach(element -> text.append(text.length() > 1 ? "," : "").append(canonical(element)));
      return text.append(']').toString();
    }
    return value == null ? "absent" : io.vertx.core.json.Json.encode(value);
  }

  // ---------------------------------------------------------------------------------------------
  // the run

  /** The state the database holds once the node stopped, read through connections from {@code database}. */
  private JsonObject run(Path jar, Path dir, Map<String, String> store, StoreConnections database) throws Exception {
    JsonObject commands = resource("differential/commands.json");
    int port = AppProcess.freePort();
    Map<String, String> settings = new HashMap<>(store);
    commands.getJsonObject("settings").forEach(setting -> settings.put(setting.getKey(), (String) setting.getValue()));
    AppProcess app = AppProcess.start("differential", jar, dir, port, settings);
    launched.add(app);
    app.awaitHealthy(STARTUP);

    JsonObject answers = new JsonObject();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      for (Object wave : commands.getJsonArray("waves")) {
        List<Future<JsonObject>> placed = new ArrayList<>();
        List<JsonObject> sent = ((JsonArray) wave).stream().map(JsonObject.class::cast).toList();
        for (JsonObject command : sent) {
          placed.add(clients.submit(() -> place(app, command)));
        }
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
          String key = sent.get(i).getString("key");
          JsonObject answer = placed.get(i).get();
          answers.put(key, answer);
          if (answer.getInteger("status") == 202) {
            accepted.add(key);
          }
        }
        awaitFinal(app, accepted);
      }
    } finally {
      clients.shutdownNow();
    }
    awaitProjectionsCaughtUp(app);

    JsonObject events = new JsonObject();
    JsonObject views = new JsonObject();
    for (Map.Entry<String, String> order : orderIds.entrySet()) {
      events.put(order.getKey(), history(app, order.getValue()));
      JsonObject view = app.get("/orders/" + order.getValue());
      views.put(order.getKey(), normalized(view, new HashMap<>()));
    }
    JsonArray deadLetters = app.get("/dead-letters").getJsonArray("items");
    app.terminate();
    assertThat(app.awaitExit(Duration.ofSeconds(30))).as("the node stops").isTrue();

    return new JsonObject()
        .put("answers", answers)
        .put("events", events)
        .put("views", views)
        .put("stock", stockDocuments(database))
        .put("readModels", readModels(database))
        .put("deadLetters", deadLetters);
  }

  /** Places the command's order (twice under one key if it says so); the last answer, made comparable. */
  private JsonObject place(AppProcess app, JsonObject command) throws Exception {
    JsonObject body = new JsonObject().put("customerId", command.getString("customerId"))
        .put("items", command.getJsonArray("items"));
    HttpResponse<String> response = null;
    for (int attempt = 0; attempt <= command.getInteger("retries", 0); attempt++) {
      response = http.send(HttpRequest.newBuilder(app.uri("/orders"))
          .timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json")
          .header("Idempotency-Key", command.getString("key"))
          .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
          .build(), HttpResponse.BodyHandlers.ofString());
    }
    JsonObject answer = new JsonObject().put("status", response.statusCode());
    if (response.statusCode() == 202) {
      String orderId = new JsonObject(response.body()).getString("orderId");
      synchronized (orderIds) {
        orderIds.put(command.getString("key"), orderId);
        keysByOrderId.put(orderId, command.getString("key"));
      }
      answer.put("orderStatus", new JsonObject(response.body()).getString("status"));
    }
    return answer;
  }

  private void awaitFinal(AppProcess app, List<String> keys) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    List<String> waiting = new ArrayList<>(keys);
    while (!waiting.isEmpty()) {
      for (String key : List.copyOf(waiting)) {
        JsonArray events = app.get("/orders/" + orderIds.get(key) + "/events").getJsonArray("events");
        if (events.stream().anyMatch(event -> "NotificationSent".equals(((JsonObject) event).getString("type")))) {
          waiting.remove(key);
        }
      }
      if (!waiting.isEmpty()) {
        assertThat(System.nanoTime()).as("orders %s final within %s; log %s:%n%s", waiting, SETTLE, app.logFile(),
            app.logTail(30)).isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  private void awaitProjectionsCaughtUp(AppProcess app) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      JsonObject projections = app.get("/admin/projections");
      if (projections.getJsonArray("items").stream().allMatch(p -> ((JsonObject) p).getLong("lag") == 0)) {
        return;
      }
      assertThat(System.nanoTime()).as("projections caught up: %s", projections).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // the state, made comparable

  /**
   * The order's events in their type's newest version, sorted by type (two modules may answer the
   * same event in either order), each without its trace, its ids numbered in that order.
   */
  private JsonArray history(AppProcess app, String orderId) throws Exception {
    EventUpcasters upcasters = DefaultShop.upcasters();
    List<JsonObject> events = new ArrayList<>();
    for (Object stored : app.get("/orders/" + orderId + "/events").getJsonArray("events")) {
      JsonObject event = upcasters.upcast(EventEnvelope.fromJson((JsonObject) stored)).toJson();
      VOLATILE_ATTRIBUTES.forEach(event::remove);
      events.add(event);
    }
    events.sort(Comparator.comparing(event -> event.getString("type")));
    Map<String, String> placeholders = new HashMap<>();
    JsonArray comparable = new JsonArray();
    events.forEach(event -> comparable.add(normalized(event, placeholders)));
    return comparable;
  }

  /** Order ids become their command's key, other ids a placeholder numbered by first appearance. */
  private Object normalizedValue(Object value, Map<String, String> placeholders) {
    if (value instanceof JsonObject object) {
      return normalized(object, placeholders);
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(element -> copy.add(normalizedValue(element, placeholders)));
      return copy;
    }
    if (value instanceof String text && INSTANT.matcher(text).matches()) {
      return "a time";
    }
    if (value instanceof String text) {
      Matcher ids = UUID.matcher(text);
      StringBuilder replaced = new StringBuilder();
      while (ids.find()) {
        String id = ids.group();
        String key = keysByOrderId.get(id);
        ids.appendReplacement(replaced, key != null ? key
            : placeholders.computeIfAbsent(id, unknown -> "id-" + (placeholders.size() + 1)));
      }
      ids.appendTail(replaced);
      return replaced.toString();
    }
    return value;
  }

  private JsonObject normalized(JsonObject object, Map<String, String> placeholders) {
    JsonObject copy = new JsonObject(new TreeMap<>());
    object.forEach(field -> copy.put(field.getKey(), normalizedValue(field.getValue(), placeholders)));
    return copy;
  }

  private static JsonObject stockDocuments(StoreConnections database) throws SQLException {
    JsonObject stock = new JsonObject(new TreeMap<>());
    query(database, "SELECT id, body FROM documents WHERE collection = 'inventory-stock'",
        row -> stock.put(row.getString(1), new JsonObject(row.getString(2))));
    return stock;
  }

  /** Every read model's serving rows, by read model and row id, ids made comparable. */
  private JsonObject readModels(StoreConnections database) throws SQLException {
    Map<String, Integer> generations = new TreeMap<>();
    query(database, "SELECT name, generation FROM projections", row -> generations.put(row.getString(1), row.getInt(2)));
    JsonObject readModels = new JsonObject(new TreeMap<>());
    for (Map.Entry<String, Integer> projection : generations.entrySet()) {
      JsonObject rows = new JsonObject(new TreeMap<>());
      String table = "read_" + projection.getKey() + "_" + projection.getValue();
      query(database, "SELECT id, body FROM " + table, row -> {
        Map<String, String> placeholders = new HashMap<>();
        JsonObject body = new JsonObject(row.getString(2));
        rows.put((String) normalizedValue(row.getString(1), placeholders), normalized(body, placeholders));
      });
      readModels.put(projection.getKey(), rows);
    }
    return readModels;
  }

  private interface StoreConnections {
    Connection open() throws SQLException;
  }

  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  private static void query(StoreConnections database, String sql, RowReader reader) throws SQLException {
    try (Connection connection = database.open();
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        reader.read(rows);
      }
    }
  }


  private static JsonObject resource(String name) throws IOException {
    try (InputStream in = DifferentialIT.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
