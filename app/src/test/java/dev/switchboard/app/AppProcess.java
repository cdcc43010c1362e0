package dev.switchboard.app;

import dev.switchboard.runtime.testing.FreePorts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real fat jar, run as a child process (the way an operator runs it) for the tests that need a
 * process to kill: same {@code java} as the test, its own working directory, a chosen port and data
 * file, its output (stdout and stderr) appended to a log file under {@code target/}.
 *
 * <p>{@link #close()} kills whatever is still running, so that a failed assertion never leaves a
 * process behind.
 */
final class AppProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** Every process started and not yet closed: killed when the test JVM exits, however it exits. */
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
        "app-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final int port;

  private AppProcess(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The fat jar under test, as failsafe passes it (app/target/switchboard.jar). */
  static Path jar() {
    String jar = System.getProperty("switchboard.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property switchboard.jar must name the built fat jar, was " + jar
          + " (run through mvn verify, after package)");
    }
    return Path.of(jar).toAbsolutePath();
  }

  /** A directory of its own under the build's target/, kept after the run for a post-mortem. */
  static Path workDir(String testName) throws IOException {
    Path dir = jar().getParent().resolve("crash-safety-it").resolve(testName + "-" + System.currentTimeMillis());
    return Files.createDirectories(dir);
  }

  static int freePort() throws IOException {
    return FreePorts.pick();
  }

  /**
   * Starts the jar with {@code dir} as its working directory and {@code dir/data/switchboard.db} as
   * its store, serving on 127.0.0.1:{@code port}; {@code settings} are further {@code SWITCHBOARD_*}
   * variables. Variables of that prefix inherited from the test's environment are dropped, so that
   * the outcome does not depend on the shell the build runs in.
   */
  static AppProcess start(String name, Path dir, int port, Map<String, String> settings) throws IOException {
    return start(name, jar(), dir, port, settings);
  }

  /** As {@link #start(String, Path, int, Map)}, another build's fat jar. */
  static AppProcess start(String name, Path jar, Path dir, int port, Map<String, String> settings) throws IOException {
    String javaCommand = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(javaCommand, "-Xmx384m", "-jar", jar.toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(key -> key.startsWith("SWITCHBOARD_"));
    Map<String, String> all = new LinkedHashMap<>();
    all.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    all.put("SWITCHBOARD_HTTP_PORT", Integer.toString(port));
    all.put("SWITCHBOARD_STORE_EMBEDDED_PATH", dir.resolve("data").resolve("switchboard.db").toString());
    all.putAll(settings);
    environment.putAll(all);
    Files.writeString(log, "=== " + name + ": " + String.join(" ", builder.command()) + " " + all + System.lineSeparator(),
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process process = builder.start();
    RUNNING.add(process);
    return new AppProcess(name, process, log, port);
  }

  int port() {
    return port;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path logFile() {
    return log;
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log " + log + " unreadable: " + e + ")";
    }
  }

  /** The last lines of the log, for failure messages. */
  String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** {@code GET path}, which must answer 200 with a JSON object within 10 s: the object. */
  io.vertx.core.json.JsonObject get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    org.assertj.core.api.Assertions.assertThat(response.statusCode()).as("GET %s on %s: %s", path, name,
        response.body()).isEqualTo(200);
    return new io.vertx.core.json.JsonObject(response.body());
  }

  /**
   * Waits, up to {@code timeout}, for {@code GET /health} to answer 200; fails at once if the
   * process dies meanwhile.
   */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(uri("/health")).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with code " + process.exitValue() + " before it was healthy; log "
            + log + ":\n" + logTail(40));
      }
      try {
        HttpResponse<String> answer = client.send(health, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
        last = answer.statusCode() + " " + answer.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " was not healthy within " + timeout + " (last: " + last + "); log " + log
        + ":\n" + logTail(40));
  }

  /** SIGKILL (on Linux): no shutdown hook runs. Returns once the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " (pid " + process.pid() + ") is still alive 20 s after SIGKILL");
    }
  }

  /** SIGTERM: the app's shutdown hook runs. */
  void terminate() {
    process.destroy();
  }

  /** Waits up to {@code timeout} for the process to end; true if it did. */
  boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  /** Kills the process if it still runs; safe to call at any time, any number of times. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RUNNING.remove(process);
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", port " + port + ", log " + log + ")";
  }
}
