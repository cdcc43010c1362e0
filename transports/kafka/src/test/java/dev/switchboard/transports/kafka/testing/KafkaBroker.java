package dev.switchboard.transports.kafka.testing;

import dev.switchboard.runtime.testing.FreePorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real single-node Apache Kafka broker (KRaft: broker and controller in one process) for
 * integration tests, run as a JVM process of its own.
 *
 * <p>Its own process, because the broker's classes must not share a class loader with the
 * clients under test (DESIGN §7); it runs the {@code kafka_2.13} of the same version as the
 * {@code kafka-clients} the Vert.x stack brings, from the test classpath. A module that uses this
 * fixture needs {@code org.apache.kafka:kafka_2.13} (test scope) on its test classpath.
 *
 * <p>Ports (broker and controller) are chosen free at construction and kept across
 * {@link #restart()}; data lives in a temporary folder, kept across restarts and deleted by
 * {@link #close()}; the broker's output goes to {@code target/kafka-broker-<port>.log}. Topics are
 * not created automatically: the transport under test must create them. A JVM shutdown hook kills
 * the process if a test run ends without closing it.
 *
 * <pre>{@code
 * static final KafkaBroker BROKER = new KafkaBroker();
 * @BeforeAll static void startBroker() { BROKER.start(); }
 * @AfterAll static void stopBroker() { BROKER.close(); }
 * }</pre>
 *
 * <p>Blocking: call it from a test's own thread, never from an event loop.
 */
public final class KafkaBroker implements AutoCloseable {

  /** How long the broker may take to format its storage, start, or stop. */
  public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private static final String BROKER_MAIN = "kafka.Kafka";
  private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
  private static final int LOG_TAIL_LINES = 40;

  private final int brokerPort = freePort();
  private final int controllerPort = freePort();
  private final List<SecureListener> secureListeners;
  private final Map<String, Integer> securePorts = new LinkedHashMap<>();
  private final Map<String, String> scramUsers;
  private final Path home;
  private final Path logFile;
  private volatile Process process;
  // no lock: the hook must not wait for a thread that is still starting the broker
  private final Thread killOnExit = new Thread(() -> {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
    }
  }, "kafka-broker-kill-on-exit");
  private boolean formatted;
  private boolean closed;

  /**
   * A listener besides the plain one, with TLS ({@code SSL}) or TLS and SASL SCRAM
   * ({@code SASL_SSL}, SCRAM-SHA-256 and SCRAM-SHA-512), presenting the key and certificate of a
   * PKCS#12 key store; advertised as {@code localhost:<port>}.
   *
   * @param name an upper-case listener name, e.g. {@code SECURE}
   */
  public record SecureListener(String name, boolean sasl, Path keyStore, String keyStorePassword) {
  }

  /** A broker with its plain listener only. */
  public KafkaBroker() {
    this(List.of(), Map.of());
  }

  /**
   * A broker with secure listeners besides its plain one (which the broker itself and
   * {@link #bootstrapServers()} keep using), and SCRAM users (name to password) created when its
   * storage is formatted.
   */
  public KafkaBroker(List<SecureListener> secureListeners, Map<String, String> scramUsers) {
    this.secureListeners = List.copyOf(secureListeners);
    this.scramUsers = Map.copyOf(scramUsers);
    secureListeners.forEach(listener -> securePorts.put(listener.name(), freePort()));
    try {
      this.home = Files.createTempDirectory("switchboard-kafka-");
      this.logFile = targetFolder().resolve("kafka-broker-" + brokerPort + ".log");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a folder for the test broker", e);
    }
  }

  /** {@code host:port} of the broker's client listener, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /** {@code localhost:port} of a secure listener: the host name its certificate must name. */
  public String bootstrapServers(String secureListener) {
    Integer port = securePorts.get(secureListener);
    if (port == null) {
      throw new IllegalArgumentException("no secure listener " + secureListener);
    }
    return "localhost:" + port;
  }

  /** Whether the broker process is running (it may still be starting). */
  public boolean isRunning() {
    Process running = process;
    return running != null && running.isAlive();
  }

  /**
   * Starts the broker (formatting its storage the first time) and waits until it answers an admin
   * client; an {@link IllegalStateException} with the tail of its log if it does not within
   * {@link #STARTUP_TIMEOUT}.
   */
  public synchronized KafkaBroker start() {
    if (closed) {
      throw new IllegalStateException("this test broker is closed, its data deleted: make a new one");
    }
    if (isRunning()) {
      return this;
    }
    checkTheBrokerIsOnTheClasspath();
    try {
      if (!formatted) {
        writeConfiguration();
        format();
        formatted = true;
        Runtime.getRuntime().addShutdownHook(killOnExit);
      }
      process = java(BROKER_MAIN, home.resolve("server.properties").toString()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the test broker", e);
    }
    awaitReady();
    return this;
  }

  /**
   * Kills the broker at once (SIGKILL), as a crash or a pulled cable would: clients see
   * connections drop with no goodbye. What the broker acknowledged survives, since the operating
   * system still holds what the process wrote; {@link #start()} or {@link #restart()} brings it back
   * on the same ports with the same data.
   */
  public synchronized void stop() {
    kill();
  }

  /** {@link #stop()}, then {@link #start()} on the same ports with the same data. */
  public synchronized void restart() {
    stop();
    start();
  }

  /** Kills the broker and deletes its data; it cannot be started again. */
  @Override
  public synchronized void close() {
    closed = true;
    kill();
    if (formatted) {
      try {
        Runtime.getRuntime().removeShutdownHook(killOnExit);
      } catch (IllegalStateException alreadyExiting) {
        // the hook is running or has run: nothing left to remove
      }
    }
    deleteRecursively(home);
  }

  /** The last lines the broker wrote, to explain a failure. */
  public String logTail() {
    try {
      if (!Files.exists(logFile)) {
        return "(no broker log at " + logFile + ")";
      }
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read the broker log " + logFile + ": " + e + ")";
    }
  }

  private synchronized void kill() {
    Process running = process;
    process = null;
    if (running == null) {
      return;
    }
    running.descendants().forEach(ProcessHandle::destroyForcibly);
    running.destroyForcibly();
    try {
      if (!running.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test broker (pid " + running.pid() + ") did not die when killed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void writeConfiguration() throws IOException {
    Path data = home.resolve("data");
    Files.createDirectories(data);
    // the broker reads its logging configuration from here (logback, the test classpath's binding)
    Files.writeString(home.resolve("logback.xml"), """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="kafka" level="INFO"/>
          <logger name="org.apache.kafka" level="WARN"/>
          <logger name="state.change.logger" level="WARN"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:"
        + controllerPort);
    StringBuilder advertised = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPort);
    StringBuilder protocols = new StringBuilder("CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    List<String> secure = new ArrayList<>();
    for (SecureListener listener : secureListeners) {
      int port = securePorts.get(listener.name());
      listeners.append(',').append(listener.name()).append("://127.0.0.1:").append(port);
      advertised.append(',').append(listener.name()).append("://localhost:").append(port);
      protocols.append(',').append(listener.name()).append(':').append(listener.sasl() ? "SASL_SSL" : "SSL");
      String prefix = "listener.name." + listener.name().toLowerCase(java.util.Locale.ROOT) + ".";
      secure.addAll(List.of(
          prefix + "ssl.keystore.type=PKCS12",
          prefix + "ssl.keystore.location=" + listener.keyStore().toAbsolutePath(),
          prefix + "ssl.keystore.password=" + listener.keyStorePassword(),
          prefix + "ssl.key.password=" + listener.keyStorePassword()));
      if (listener.sasl()) {
        for (String mechanism : List.of("scram-sha-256", "scram-sha-512")) {
          secure.add(prefix + mechanism + ".sasl.jaas.config="
              + "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
      }
    }
    if (!secure.isEmpty()) {
      secure.add("sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512");
    }
    secure.add("");
    Files.writeString(home.resolve("server.properties"), String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=" + listeners,
        "advertised.listeners=" + advertised,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=" + protocols,
        "log.dirs=" + data.toAbsolutePath(),
        // the application under test creates its topics: a missing one is a bug to see, not to hide
        "auto.create.topics.enable=false",
        "num.partitions=1",
        // one node: every internal topic with one replica, and few partitions to start fast
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        // a killed broker that comes back must wait until its old registration expires: keep that short
        "broker.heartbeat.interval.ms=500",
        "broker.session.timeout.ms=3000",
        // a consumer group starts at once instead of waiting 3 s for more members
        "group.initial.rebalance.delay.ms=0",
        "num.network.threads=2",
        "num.io.threads=2",
        "num.recovery.threads.per.data.dir=1",
        String.join("\n", secure)));
  }

  private void format() throws IOException {
    List<String> arguments = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(),
        "-c", home.resolve("server.properties").toString()));
    // SCRAM credentials go into the metadata log as it is made (KRaft has no ZooKeeper to hold them)
    scramUsers.forEach((user, password) -> {
      for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512")) {
        arguments.addAll(List.of("--add-scram", mechanism + "=[name=" + user + ",password=" + password + "]"));
      }
    });
    Process format = java(STORAGE_TOOL, arguments.toArray(String[]::new)).start();
    try {
      if (!format.waitFor(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting the test broker's storage took over " + STARTUP_TIMEOUT
            + "; its log:\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      format.destroyForcibly();
      throw new IllegalStateException("interrupted while formatting the test broker's storage", e);
    }
    if (format.exitValue() != 0) {
      throw new IllegalStateException("formatting the test broker's storage failed (exit " + format.exitValue()
          + "); its log:\n" + logTail());
    }
  }

  private ProcessBuilder java(String mainClass, String... arguments) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // small and quick to start: CI machines have 2 cores, and tests run beside the broker
        "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true",
        "-Dlogback.configurationFile=" + home.resolve("logback.xml"),
        "-cp", System.getProperty("java.class.path"),
        mainClass));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    try (Admin admin = Admin.create(config)) {
      Exception lastFailure = null;
      while (System.nanoTime() < deadline) {
        if (!isRunning()) {
          throw new IllegalStateException("the test broker exited while starting; its log ("
              + logFile + "):\n" + logTail());
        }
        try {
          int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes()
              .get(3, TimeUnit.SECONDS).size();
          if (nodes > 0) {
            return;
          }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          lastFailure = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the test broker", e);
        }
      }
      kill();
      throw new IllegalStateException("the test broker did not answer on " + bootstrapServers() + " within "
          + STARTUP_TIMEOUT + " (last failure: " + lastFailure + "); its log (" + logFile + "):\n" + logTail());
    }
  }

  private static void checkTheBrokerIsOnTheClasspath() {
    try {
      Class.forName(BROKER_MAIN, false, KafkaBroker.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the Kafka broker (" + BROKER_MAIN + ") is not on the test classpath: add "
          + "org.apache.kafka:kafka_2.13, of the version of kafka-clients, as a test dependency", e);
    }
  }

  private static Path targetFolder() throws IOException {
    String basedir = System.getProperty("basedir");
    Path target = (basedir == null ? Path.of("") : Path.of(basedir)).toAbsolutePath().resolve("target");
    Files.createDirectories(target);
    return target;
  }

  /** Below the ephemeral range: the broker's process binds seconds after the pick (see {@link FreePorts}). */
  private static int freePort() {
    try {
      return FreePorts.pick();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the test broker", e);
    }
  }

  private static void deleteRecursively(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the test broker's data in " + folder, e);
    }
  }
}
