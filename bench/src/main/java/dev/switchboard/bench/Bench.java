package dev.switchboard.bench;

import dev.switchboard.bench.baseline.EventBusBaseline;
import dev.switchboard.bench.baseline.PostgresBaseline;
import dev.switchboard.bench.baseline.SqliteBaseline;
import dev.switchboard.bench.scenario.AppScenario;
import dev.switchboard.runtime.transport.TransportFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bench/run.sh [scenario…]}: measures Switchboard against the raw limits of the parts beneath
 * it, in one run on one machine, and prints a table (also written as JSON under bench/results/).
 */
public final class Bench {

  static final List<String> ALL = List.of("eventbus", "sqlite", "postgres-baseline", "embedded-local",
      "postgres-local", "postgres-kafka", "postgres-rabbitmq", "jmh");
  private static final String POSTGRES_SERVER = System.getenv().getOrDefault("SWITCHBOARD_BENCH_POSTGRES",
      "postgresql://postgres@127.0.0.1:5432");
  private static final Duration BASELINE = Duration.ofSeconds(8);
  private static final Duration WARM_UP = Duration.ofSeconds(5);
  private static final Duration MEASURED = Duration.ofSeconds(10);
  /** Orders in flight in the closed-loop search for the maximum (SWITCHBOARD_BENCH_CLIENTS). */
  private static final int CLIENTS = Integer.parseInt(System.getenv().getOrDefault("SWITCHBOARD_BENCH_CLIENTS", "64"));

  private final Map<String, Result> results = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    List<String> chosen = args.length == 0 ? ALL : List.of(args);
    for (String name : chosen) {
      if (!ALL.contains(name)) {
        System.err.println("unknown scenario " + name + "; choose from " + ALL);
        System.exit(2);
      }
    }
    Bench bench = new Bench();
    for (String name : chosen) {
      System.err.println("== " + name);
      bench.run(name);
    }
    bench.report();
    System.exit(0);
  }

  private void run(String name) throws Exception {
    Path work = Files.createTempDirectory("switchboard-bench-");
    switch (name) {
      case "eventbus" -> results.put(name, new EventBusBaseline().run(BASELINE));
      case "sqlite" -> results.put(name, new SqliteBaseline(256).run(work, BASELINE));
      case "postgres-baseline" -> withDatabase(uri -> results.put(name, new PostgresBaseline(256, 4).run(uri, BASELINE)));
      case "embedded-local" -> results.put(name, new AppScenario("embedded + local", new JsonObject(), CLIENTS,
          WARM_UP, MEASURED).run(work));
      case "postgres-local" -> withDatabase(uri -> results.put(name, new AppScenario("postgres + local",
          postgres(uri), CLIENTS, WARM_UP, MEASURED).run(work)));
      case "postgres-kafka", "postgres-rabbitmq" -> {
        String transport = name.substring("postgres-".length());
        if (!availableTransports().contains(transport)) {
          notes.add(name + ": not measured, this build has no " + transport + " transport");
          return;
        }
        notes.add(name + ": needs a running broker configured through SWITCHBOARD_TRANSPORT_* (see bench/README)");
      }
      case "jmh" -> runJmh();
      default -> throw new IllegalArgumentException(name);
    }
  }

  private static JsonObject postgres(String uri) {
    return new JsonObject().put("store", new JsonObject().put("type", "postgres")
        .put("postgres", new JsonObject().put("uri", uri)));
  }

  private interface WithUri {
    void run(String uri) throws Exception;
  }

  /** Runs with a fresh database of its own on the local server, dropped afterwards. */
  private static void withDatabase(WithUri body) throws Exception {
    String database = "switchboard_bench_" + System.currentTimeMillis();
    String jdbc = "jdbc:" + POSTGRES_SERVER.replace("postgresql://postgres@", "postgresql://") + "/postgres?user=postgres";
    try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
    try {
      body.run(POSTGRES_SERVER + "/" + database);
    } finally {
      try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
    }
  }

  private static Set<String> availableTransports() {
    return ServiceLoader.load(TransportFactory.class).stream().map(p -> p.get().type()).collect(Collectors.toSet());
  }

  private void runJmh() throws Exception {
    var options = new OptionsBuilder()
        .include("dev.switchboard.bench.jmh.*")
        .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(5).measurementTime(TimeValue.seconds(1))
        .build();
    for (RunResult run : new Runner(options).run()) {
      String benchmark = run.getParams().getBenchmark().replace("dev.switchboard.bench.jmh.", "")
          + run.getParams().getParamsKeys().stream().map(key -> " " + key + "=" + run.getParams().getParam(key))
              .collect(Collectors.joining());
      var primary = run.getPrimaryResult();
      results.put("jmh " + benchmark, new Result("jmh: " + benchmark, "ops", primary.getScore(),
          new JsonObject().put("error", primary.getScoreError()).put("unit", primary.getScoreUnit())));
    }
  }

  private void report() throws Exception {
    Result sqlite = results.get("sqlite");
    Result postgres = results.get("postgres-baseline");
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%n%-48s %14s %16s %9s %28s %28s%n", "scenario", "per second",
        "events/s", "ratio", "p50/p99/p99.9 ms @50%", "p50/p99/p99.9 ms @90%"));
    for (Result result : results.values()) {
      JsonObject details = result.details();
      String events = details.containsKey("eventsPerSecond") ? String.valueOf(details.getLong("eventsPerSecond")) : "";
      String ratio = "";
      Result baseline = result.scenario().startsWith("embedded") ? sqlite
          : result.scenario().startsWith("postgres +") ? postgres : null;
      if (baseline != null && details.containsKey("eventsPerSecond")) {
        double value = details.getLong("eventsPerSecond") / baseline.perSecond();
        details.put("baseline", baseline.scenario()).put("ratioToBaseline", Math.round(value * 1000) / 1000.0);
        ratio = String.format(Locale.ROOT, "%.2f", value);
      }
      table.append(String.format(Locale.ROOT, "%-48s %14s %16s %9s %28s %28s%n", result.scenario(),
          String.format(Locale.ROOT, "%,.0f %s", result.perSecond(), result.unit()), events, ratio,
          latency(details.getJsonObject("at50")), latency(details.getJsonObject("at90"))));
    }
    notes.forEach(note -> table.append("note: ").append(note).append(System.lineSeparator()));
    System.out.println(table);
    JsonObject json = new JsonObject()
        .put("at", Instant.now().toString())
        .put("machine", machine())
        .put("results", new JsonArray(results.values().stream().map(Result::toJson).toList()))
        .put("notes", new JsonArray(notes));
    Path out = Path.of("bench", "results", Instant.now().toString().replace(':', '-') + ".json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json.encodePrettily());
    System.out.println("written to " + out);
  }

  private static String latency(JsonObject run) {
    if (run == null) {
      return "";
    }
    JsonObject latency = run.getJsonObject("latency");
    return String.format(Locale.ROOT, "%s/%s/%s", latency.getValue("p50Millis"), latency.getValue("p99Millis"),
        latency.getValue("p999Millis"));
  }

  private static JsonObject machine() {
    Runtime runtime = Runtime.getRuntime();
    return new JsonObject()
        .put("cpus", runtime.availableProcessors())
        .put("maxHeapMb", runtime.maxMemory() / (1024 * 1024))
        .put("java", System.getProperty("java.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
  }
}
