package dev.switchboard.runtime.testing;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's {@code config/default.json}, found from the working directory up (a module's folder
 * when Maven runs its tests, the repository when the bench runs), for tests that build a section of
 * a node's configuration: the defaults as every node has them, with what the test sets on top.
 */
public final class DefaultConfig {

  private DefaultConfig() {
  }

  /** A copy of the section at {@code path} ({@code "transport", "kafka"}), with {@code overrides} merged in. */
  public static JsonObject section(JsonObject overrides, String... path) {
    JsonObject section = read();
    for (String key : path) {
      section = section.getJsonObject(key);
      if (section == null) {
        throw new IllegalArgumentException("config/default.json has no section " + String.join(".", path));
      }
    }
    return section.copy().mergeIn(overrides, true);
  }

  private static JsonObject read() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path file = dir.resolve("config").resolve("default.json");
      if (Files.isRegularFile(file)) {
        try {
          return new JsonObject(Files.readString(file));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file, e);
        }
      }
    }
    throw new IllegalStateException("no config/default.json in " + Path.of("").toAbsolutePath() + " or above");
  }
}
