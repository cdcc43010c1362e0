package dev.switchboard.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The fat jar of an earlier release, built from its commit in this repository's history (once:
 * kept under {@code target/previous-release}), for tests that run two releases side by side.
 */
final class PreviousRelease {

  /**
   * The last release that knew only version 1 of every event: {@code OrderPlaced} and
   * {@code PaymentDeclined} went to version 2 in the commit after it. Its Kafka nodes published to a
   * topic per module, so over Kafka it cannot run beside a later release (the README's "Moving over
   * from topics per module").
   */
  static final String ONLY_VERSION_1 = "dd1e28b";

  /**
   * The first release whose nodes send every event of an order over one Kafka topic,
   * {@code switchboard.events} (a session's last build, 990 tests), with version 2 of both events
   * and every broker a wire of the runtime's delivery engine.
   */
  static final String ONE_KAFKA_TOPIC = "4ac61dd";

  private static final long BUILD_MINUTES = 10;

  private PreviousRelease() {
  }

  /** The fat jar of the release at {@code commit}, built now unless an earlier run built it. */
  static synchronized Path jar(String commit) throws IOException, InterruptedException {
    Path home = AppProcess.jar().getParent().resolve("previous-release");
    Path jar = home.resolve("switchboard-" + commit + ".jar");
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    Path source = home.resolve("source-" + commit);
    Path log = Files.createDirectories(home).resolve("build-" + commit + ".log");
    deleteRecursively(source);
    Files.createDirectories(source);
    Path repository = Path.of(output(commit, List.of("git", "rev-parse", "--show-toplevel"), log).strip());
    // the commit's files, without touching the repository's work tree or its list of worktrees
    output(commit, List.of("sh", "-c", "git -C '" + repository + "' archive " + commit + " | tar -x -C '" + source
        + "'"), log);
    output(commit, List.of("mvn", "-B", "-q", "-f", source.resolve("pom.xml").toString(), "package", "-DskipTests",
        "-pl", "app", "-am"), log);
    Files.copy(source.resolve("app/target/switchboard.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
    deleteRecursively(source);
    return jar;
  }

  /** Runs the command (its output appended to {@code log}); its standard output. */
  private static String output(String commit, List<String> command, Path log)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("previous-release", ".out");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      if (!process.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " took longer than " + BUILD_MINUTES + " minutes; see " + log);
      }
      String output = Files.readString(out);
      Files.writeString(log, output, java.nio.file.StandardOpenOption.APPEND);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("building the release of " + commit + " failed at " + command
            + " (exit " + process.exitValue() + "); it needs this repository's history (not a shallow clone);"
            + " see " + log);
      }
      return output;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var paths = Files.walk(path)) {
      for (Path each : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
