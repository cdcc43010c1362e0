package dev.switchboard.bench;

import dev.switchboard.bench.baseline.EventBusBaseline;
import dev.switchboard.bench.baseline.HttpBaseline;
import dev.switchboard.bench.baseline.KafkaBaseline;
import dev.switchboard.bench.baseline.SqsBaseline;
import dev.switchboard.bench.baseline.PostgresBaseline;
import dev.switchboard.bench.baseline.RabbitMqBaseline;
import dev.switchboard.bench.baseline.SqliteBaseline;
import dev.switchboard.bench.broker.Brokers;
import dev.switchboard.bench.scenario.AppScenario;
import dev.switchboard.bench.scenario.SoakScenario;
import dev.switchboard.bench.store.Databases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * {@code bench/run.sh [scenario…]}: measures Switchboard against the raw limits of the parts beneath
 * it, in one run on one machine, and prints a table (also written as JSON under bench/results/).
 */
public final class Bench {

  static final List<String> ALL = List.of("http", "eventbus", "sqlite", "postgres-baseline", "kafka-baseline",
      "rabbitmq-baseline", "sqs-baseline", "embedded-local", "postgres-local", "postgres-kafka", "postgres-rabbitmq",
      "postgres-sqs", "jmh");
  /** Run only when named: a long run for memory, not a figure of the table's kind. */
  static final List<String> ON_DEMAND = List.of("soak");
  private static final String POSTGRES_SERVER = System.getenv().getOrDefault("SWITCHBOARD_BENCH_POSTGRES",
      "postgresql://postgres@127.0.0.1:5432");
  /** How long each measurement lasts (SWITCHBOARD_BENCH_SECONDS); warm-ups and baselines scale with it. */
  private static final Duration MEASURED = Duration.ofSeconds(Long.parseLong(
      System.getenv().getOrDefault("SWITCHBOARD_BENCH_SECONDS", "10")));
  /** Long enough for the JIT to finish compiling the hot paths on two cores before anything counts. */
  private static final Duration WARM_UP = MEASURED.multipliedBy(2);
  private static final Duration BASELINE = MEASURED;
  /** Orders in flight in the closed-loop search for the maximum (SWITCHBOARD_BENCH_CLIENTS, comma-separated). */
  private static final List<Integer> CLIENTS = Arrays.stream(System.getenv()
          .getOrDefault("SWITCHBOARD_BENCH_CLIENTS", "64,128,256").split(","))
      .map(String::trim).map(Integer::parseInt).toList();
  /**
   * A rate at which each whole-node scenario also measures latency (SWITCHBOARD_BENCH_RATE, orders
   * per second; unset: none), so that two builds can be compared at one load.
   */
  private static final OptionalDouble FIXED_RATE = Optional.ofNullable(System.getenv("SWITCHBOARD_BENCH_RATE"))
      .filter(rate -> !rate.isBlank()).map(rate -> OptionalDouble.of(Double.parseDouble(rate.trim())))
      .orElse(OptionalDouble.empty());
  private static final long SOAK_ORDERS = Long.parseLong(
      System.getenv().getOrDefault("SWITCHBOARD_BENCH_SOAK_ORDERS", "1000000"));

  private final Map<String, Result> results = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final Brokers brokers = new Brokers();
  private final Databases databases = new Databases(POSTGRES_SERVER);

  public static void main(String[] args) throws Exception {
    List<String> chosen = args.length == 0 ? ALL : List.of(args);
    for (String name : chosen) {
      if (!ALL.contains(name) && !ON_DEMAND.contains(name)) {
        System.err.println("unknown scenario " + name + "; choose from " + ALL + " or " + ON_DEMAND);
        System.exit(2);
      }
    }
    Bench bench = new Bench();
    // a run cut short (Ctrl-C) still stops the broker process and drops what it made on the servers
    Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanUp, "bench-clean-up"));
    boolean allRan = true;
    try {
      for (String name : chosen) {
        System.err.println("== " + name);
        allRan &= bench.runReporting(name);
      }
    } finally {
      bench.cleanUp();
    }
    bench.report();
    System.exit(allRan ? 0 : 1);
  }

  private void cleanUp() {
    try {
      brokers.close();
    } finally {
      databases.close();
    }
  }

  /** Runs one scenario; one that fails is noted in the report, and the others still run. */
  private boolean runReporting(String name) {
    try (WorkFolder work = WorkFolder.create("switchboard-bench-")) {
      run(name, work.path());
      return true;
    } catch (Exception e) {
      e.printStackTrace();
      notes.add(name + " failed: " + e);
      return false;
    }
  }

  private void run(String name, Path work) throws Exception {
    switch (name) {
      case "http" -> results.put(name, new HttpBaseline(Collections.max(CLIENTS)).run(BASELINE));
      case "eventbus" -> results.put(name, new EventBusBaseline().run(BASELINE));
      case "sqlite" -> results.put(name, new SqliteBaseline(256).run(work, BASELINE));
      case "postgres-baseline" -> databases.with(uri -> results.put(name, new PostgresBaseline(256, 4).run(uri, BASELINE)));
      case "kafka-baseline" -> putBoth(name, new KafkaBaseline(brokers.kafka()).run(BASELINE));
      case "rabbitmq-baseline" -> putBoth(name, new RabbitMqBaseline(brokers.rabbitMq()).run(BASELINE));
      case "sqs-baseline" -> putBoth(name, new SqsBaseline(brokers.sqs()).run(BASELINE));
      case "embedded-local" -> results.put(name, app("embedded + local", new JsonObject()).run(work));
      case "postgres-local" -> databases.with(uri -> results.put(name, app("postgres + local", postgres(uri)).run(work)));
      case "postgres-kafka" -> databases.with(uri -> results.put(name, app("postgres + kafka", postgres(uri)
          .put("transport", new JsonObject().put("type", "kafka")
              .put("kafka", new JsonObject().put("bootstrapServers", brokers.kafka())))).run(work)));
      case "postgres-rabbitmq" -> databases.with(uri -> results.put(name, app("postgres + rabbitmq", postgres(uri)
          .put("transport", new JsonObject().put("type", "rabbitmq")
              .put("rabbitmq", new JsonObject().put("uri", brokers.rabbitMq())))).run(work)));
      case "postgres-sqs" -> databases.with(uri -> results.put(name, app("postgres + sqs", postgres(uri)
          .put("transport", new JsonObject().put("type", "sqs")
              .put("sqs", brokers.sqs().settings(new JsonObject())))).run(work)));
      case "soak" -> results.put(name, new SoakScenario(SOAK_ORDERS, soakClients()).run(work));
      case "jmh" -> runJmh();
      default -> throw new IllegalArgumentException(name);
    }
  }

  /** The best client count embedded-local found, if it ran before in this run; else the largest. */
  private int soakClients() {
    Result embedded = results.get("embedded-local");
    return embedded != null ? embedded.details().getInteger("clients") : Collections.max(CLIENTS);
  }

  private static AppScenario app(String name, JsonObject overrides) {
    return new AppScenario(name, overrides, CLIENTS, WARM_UP, MEASURED, FIXED_RATE);
  }

  /** A baseline measured twice over (producing, then consuming): the first is the scenario's ceiling. */
  private void putBoth(String name, List<Result> measured) {
    results.put(name, measured.get(0));
    results.put(name + " (consumer)", measured.get(1));
  }

  private static JsonObject postgres(String uri) {
    return new JsonObject().put("store", new JsonObject().put("type", "postgres")
        .put("postgres", new JsonObject().put("uri", uri)));
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
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%n%-54s %16s %12s %7s %-26s %24s %24s %14s%n", "scenario", "per second",
        "events/s", "ratio", "of the lower ceiling", "p50/p99/p99.9 ms @50%", "p50/p99/p99.9 ms @90%",
        "CPU µs/order"));
    for (Result result : results.values()) {
      JsonObject details = result.details();
      String events = details.containsKey("eventsPerSecond") ? String.valueOf(details.getLong("eventsPerSecond")) : "";
      String ratio = "";
      String against = "";
      Result baseline = ceilingOf(result.scenario());
      if (baseline != null && details.containsKey("eventsPerSecond")) {
        double value = details.getLong("eventsPerSecond") / baseline.perSecond();
        details.put("baseline", baseline.scenario()).put("ratioToBaseline", Math.round(value * 1000) / 1000.0);
        ratio = String.format(Locale.ROOT, "%.2f", value);
        against = baseline.scenario().replace("baseline: ", "");
      }
      table.append(String.format(Locale.ROOT, "%-54s %16s %12s %7s %-26.26s %24s %24s %14s%n", result.scenario(),
          String.format(Locale.ROOT, "%,.0f %s", result.perSecond(), result.unit()), events, ratio, against,
          latency(details.getJsonObject("at50")), latency(details.getJsonObject("at90")), cpuPerOrder(details)));
    }
    notes.forEach(note -> table.append("note: ").append(note).append(System.lineSeparator()));
    System.out.println(table);
    JsonObject json = new JsonObject()
        .put("at", Instant.now().toString())
        .put("machine", machine())
        .put("results", new JsonArray(results.values().stream().map(Result::toJson).toList()))
        .put("notes", new JsonArray(notes));
    // under the bench's folder, which run.sh names (-Dbasedir), wherever the JVM was started from
    Path out = Path.of(System.getProperty("basedir", "bench"), "results", Instant.now().toString().replace(':', '-') + ".json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, json.encodePrettily());
    System.out.println("written to " + out);
  }

  /**
   * The lowest raw ceiling beneath a scenario, of those measured in this run: the store's (SQLite
   * or PostgreSQL appends) and, over a broker, the broker's publishing; none if one is missing.
   */
  private Result ceilingOf(String scenario) {
    List<String> beneath = scenario.startsWith("embedded") ? List.of("sqlite")
        : scenario.equals("postgres + local") ? List.of("postgres-baseline")
        : scenario.equals("postgres + kafka") ? List.of("postgres-baseline", "kafka-baseline")
        : scenario.equals("postgres + rabbitmq") ? List.of("postgres-baseline", "rabbitmq-baseline")
        : scenario.equals("postgres + sqs") ? List.of("postgres-baseline", "sqs-baseline")
        : List.of();
    if (beneath.isEmpty() || !beneath.stream().allMatch(results::containsKey)) {
      return null;
    }
    return beneath.stream().map(results::get).min(Comparator.comparingDouble(Result::perSecond)).orElseThrow();
  }

  /** This process's CPU per order at 50% load, then the database server's and the broker's where there are. */
  private static String cpuPerOrder(JsonObject details) {
    JsonObject costs = details.getJsonObject("costsAt50");
    if (costs == null || !costs.containsKey("processCpuMicros")) {
      return "";
    }
    return costs.getValue("processCpuMicros")
        + (costs.containsKey("databaseServerCpuMicros") ? " + " + costs.getValue("databaseServerCpuMicros") : "")
        + (costs.containsKey("brokerCpuMicros") ? " + " + costs.getValue("brokerCpuMicros") : "");
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
