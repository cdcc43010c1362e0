package dev.switchboard.transports.rabbitmq.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code rabbitmqctl} on the local node, for what AMQP cannot do: virtual hosts, permissions,
 * stopping and starting the broker, closing connections, queue depths with unacknowledged counts.
 * The command is {@code SWITCHBOARD_TEST_RABBITMQCTL} if set (e.g. {@code sudo -n rabbitmqctl}),
 * else {@code rabbitmqctl} (the node's Erlang cookie is root's: run the tests as root, or set it).
 */
final class Rabbitmqctl {

  private static final long TIMEOUT_SECONDS = 120;

  private Rabbitmqctl() {
  }

  /** Runs it and returns its standard output; an {@link IllegalStateException} with its output if it fails. */
  static String run(String... arguments) {
    List<String> command = new ArrayList<>(command());
    command.addAll(Arrays.asList(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes(); // ends when the process does
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
            + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static List<String> command() {
    String configured = System.getenv("SWITCHBOARD_TEST_RABBITMQCTL");
    if (configured != null && !configured.isBlank()) {
      return Arrays.asList(configured.strip().split("\\s+"));
    }
    return List.of("rabbitmqctl");
  }
}
