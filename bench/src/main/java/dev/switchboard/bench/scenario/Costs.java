package dev.switchboard.bench.scenario;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StatementsSent;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one order costs the machine, read before and after a run at a steady rate: CPU of this
 * process (the node and the load generator: they share the JVM), and the statements the node's store
 * ran (counted by the store: the writer's, BEGIN and COMMIT included, and each read; on PostgreSQL
 * the leases' and the notification listener's not). On PostgreSQL also the server's CPU, its
 * transactions (reads outside a transaction count as one each), its WAL bytes and the round trips
 * the store waited for; on the embedded store the writer's transactions and the bytes this process
 * wrote to disk (the WAL, and the pages checkpoints copy into the database file). Per order, so that
 * a change to the write path can be compared across runs and machines better than by throughput
 * alone.
 *
 * <p>The server's figures are read from {@code /proc} (every process named {@code postgres}) and
 * from the server's statistics, which cover the whole server: run nothing else on it meanwhile.
 * Where the node's transport is a broker in processes of its own, their CPU is read from
 * {@code /proc} too: RabbitMQ's Erlang VM and its helpers, the Kafka broker this bench started
 * (ElasticMQ runs in this JVM, so its CPU is in this process's).
 */
final class Costs {

  /** Linux's clock ticks per second for {@code /proc/<pid>/stat} times ({@code getconf CLK_TCK}), 100 on x86-64. */
  private static final long TICKS_PER_SECOND = 100;
  /** The server reports its statistics at most about once a second: wait that long before reading them. */
  private static final long STATISTICS_DELAY_MILLIS = 1_500;

  /**
   * The counters at one instant; {@code sent} is what the node's store ran, if it counts it;
   * {@code diskBytesWritten} what this process wrote to disk so far (-1 where Linux does not tell).
   */
  record Reading(long processCpuNanos, long serverCpuTicks, long transactions, long walBytes,
                 Optional<StatementsSent> sent, long diskBytesWritten, long brokerCpuTicks) {
  }

  /** Which processes a server or broker runs as, told by a process's command name and its command line. */
  private interface Processes {
    boolean matches(String command, Supplier<String> commandLine);
  }

  private static final Processes POSTGRES = (command, commandLine) -> command.startsWith("postgres");
  private static final Set<String> RABBITMQ_COMMANDS = Set.of("beam.smp", "erl_child_setup", "inet_gethost", "epmd");
  /** RabbitMQ's Erlang VM and the helpers it starts. */
  private static final Processes RABBITMQ = (command, commandLine) -> RABBITMQ_COMMANDS.contains(command);
  /** The Kafka broker's JVM, started by this bench (its main class, not its tools'). */
  private static final Processes KAFKA = (command, commandLine) ->
      command.equals("java") && commandLine.get().contains(" kafka.Kafka ");

  private final Optional<String> postgresJdbc;
  private final Supplier<Optional<StatementsSent>> sent;
  private final Optional<Processes> broker;

  private Costs(Optional<String> postgresJdbc, Supplier<Optional<StatementsSent>> sent,
                Optional<Processes> broker) {
    this.postgresJdbc = postgresJdbc;
    this.sent = sent;
    this.broker = broker;
  }

  /** Costs of a node with these overrides of the defaults, on {@code node}: on PostgreSQL when they choose it. */
  static Costs of(JsonObject overrides, EventStore node) {
    JsonObject store = overrides.getJsonObject("store", new JsonObject());
    Supplier<Optional<StatementsSent>> sent = () -> node instanceof StatementsSent.Counted counted
        ? Optional.of(counted.statementsSent()) : Optional.empty();
    Optional<String> postgres = "postgres".equals(store.getString("type"))
        ? Optional.of(jdbc(store.getJsonObject("postgres").getString("uri")))
        : Optional.empty();
    String transport = overrides.getJsonObject("transport", new JsonObject()).getString("type", "local");
    Optional<Processes> broker = switch (transport) {
      case "rabbitmq" -> Optional.of(RABBITMQ);
      case "kafka" -> Optional.of(KAFKA);
      default -> Optional.empty();
    };
    return new Costs(postgres, sent, broker);
  }

  /** The JDBC URL of {@code uri} ({@code postgresql://user@host:port/database}). */
  private static String jdbc(String uri) {
    String withoutUser = uri.replaceFirst("postgresql://([^@/]+)@", "postgresql://");
    String user = uri.replaceFirst("^postgresql://([^@/]+)@.*$", "$1");
    return "jdbc:" + withoutUser + (user.equals(uri) ? "" : "?user=" + user);
  }

  /** The CPU time this process has used so far. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Reads the counters; call {@link #settle()} first after a run so that the server's statistics caught up. */
  Reading read() {
    long process = processCpuNanos();
    Optional<StatementsSent> sentSoFar = sent.get();
    long brokerTicks = broker.map(Costs::cpuTicks).orElse(0L);
    if (postgresJdbc.isEmpty()) {
      return new Reading(process, 0, 0, 0, sentSoFar, diskBytesWritten(), brokerTicks);
    }
    try (Connection connection = DriverManager.getConnection(postgresJdbc.get());
         Statement statement = connection.createStatement()) {
      long transactions = single(statement, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
      long wal = single(statement, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint");
      return new Reading(process, cpuTicks(POSTGRES), transactions, wal, sentSoFar, diskBytesWritten(), brokerTicks);
    } catch (SQLException e) {
      throw new IllegalStateException("could not read PostgreSQL's statistics: " + e.getMessage(), e);
    }
  }

  /** Waits for the server's statistics to include the run's last transactions. */
  void settle() {
    if (postgresJdbc.isPresent()) {
      try {
        Thread.sleep(STATISTICS_DELAY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Per order between two readings. The process CPU is the one taken right after the run; the
   * server's counters may be read a moment later ({@link #settle()}), its idle CPU meanwhile is noise.
   */
  JsonObject perOrder(Reading before, long processCpuNanosAfter, Reading after, long orders) {
    JsonObject costs = new JsonObject().put("orders", orders);
    if (orders <= 0) {
      return costs;
    }
    costs.put("processCpuMicros", round((processCpuNanosAfter - before.processCpuNanos()) / 1_000.0 / orders));
    Optional<StatementsSent> sent = before.sent().flatMap(from -> after.sent().map(to -> new StatementsSent(
        to.writerStatements() - from.writerStatements(), to.writerRoundTrips() - from.writerRoundTrips(),
        to.reads() - from.reads(), to.transactions() - from.transactions())));
    sent.ifPresent(during -> costs.put("statements",
        round((during.writerStatements() + during.reads()) / (double) orders)));
    if (broker.isPresent() && before.brokerCpuTicks() >= 0 && after.brokerCpuTicks() >= 0) {
      costs.put("brokerCpuMicros", micros(after.brokerCpuTicks() - before.brokerCpuTicks(), orders));
    }
    if (postgresJdbc.isPresent()) {
      costs.put("databaseServerCpuMicros", micros(after.serverCpuTicks() - before.serverCpuTicks(), orders))
          .put("databaseTransactions", round((after.transactions() - before.transactions()) / (double) orders))
          .put("walBytes", round((after.walBytes() - before.walBytes()) / (double) orders));
      sent.ifPresent(during -> costs.put("roundTrips",
          round((during.writerRoundTrips() + during.reads()) / (double) orders)));
    } else {
      sent.ifPresent(during -> costs.put("writerTransactions", round(during.transactions() / (double) orders)));
      if (before.diskBytesWritten() >= 0 && after.diskBytesWritten() >= 0) {
        costs.put("diskBytesWritten", round((after.diskBytesWritten() - before.diskBytesWritten()) / (double) orders));
      }
    }
    return costs;
  }

  /**
   * One line for the console: {@code 412 µs CPU, 10.2 statements, server 380 µs CPU, 9.1 transactions,
   * 6,120 WAL bytes, 4.3 round trips per order}.
   */
  static String describe(JsonObject costs) {
    if (!costs.containsKey("processCpuMicros")) {
      return "no order finished";
    }
    StringBuilder line = new StringBuilder().append(costs.getValue("processCpuMicros")).append(" µs CPU");
    if (costs.containsKey("statements")) {
      line.append(", ").append(costs.getValue("statements")).append(" statements");
    }
    if (costs.containsKey("databaseTransactions")) {
      line.append(", server ").append(costs.getValue("databaseServerCpuMicros")).append(" µs CPU, ")
          .append(costs.getValue("databaseTransactions")).append(" transactions, ").append(costs.getValue("walBytes"))
          .append(" WAL bytes");
    }
    if (costs.containsKey("roundTrips")) {
      line.append(", ").append(costs.getValue("roundTrips")).append(" round trips");
    }
    if (costs.containsKey("brokerCpuMicros")) {
      line.append(", broker ").append(costs.getValue("brokerCpuMicros")).append(" µs CPU");
    }
    if (costs.containsKey("writerTransactions")) {
      line.append(", ").append(costs.getValue("writerTransactions")).append(" writer transactions");
    }
    if (costs.containsKey("diskBytesWritten")) {
      line.append(", ").append(costs.getValue("diskBytesWritten")).append(" bytes written to disk");
    }
    return line.append(" per order").toString();
  }

  /** What this process has written to disk so far ({@code write_bytes} of {@code /proc/self/io}), -1 if unknown. */
  private static long diskBytesWritten() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("write_bytes:")) {
          return Long.parseLong(line.substring("write_bytes:".length()).trim());
        }
      }
    } catch (IOException | RuntimeException unknown) {
      return -1;
    }
    return -1;
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  /** User and system time of every process that {@code processes} matches, in clock ticks; -1 if unknown. */
  private static long cpuTicks(Processes processes) {
    long ticks = 0;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : all) {
        ticks += ticksOf(process, processes);
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks;
  }

  private static long ticksOf(Path process, Processes processes) {
    try {
      String line = Files.readString(process.resolve("stat"));
      int open = line.indexOf('(');
      int close = line.lastIndexOf(')');
      if (open < 0 || close < 0 || !processes.matches(line.substring(open + 1, close), () -> commandLine(process))) {
        return 0;
      }
      // after the command: state, ppid, … utime is the 14th field of the line, stime the 15th
      String[] fields = line.substring(close + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException gone) {
      return 0; // the process ended meanwhile
    }
  }

  /** The process's command line, its arguments joined by spaces; empty if it cannot be read. */
  private static String commandLine(Path process) {
    try {
      return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }

  private static double micros(long ticks, long orders) {
    return round(ticks * (1_000_000.0 / TICKS_PER_SECOND) / orders);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
