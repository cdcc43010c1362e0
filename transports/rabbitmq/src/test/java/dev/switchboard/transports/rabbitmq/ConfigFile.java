package dev.switchboard.transports.rabbitmq;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the project's {@code config/*.json}, two folders up from this module. */
final class ConfigFile {

  private ConfigFile() {
  }

  static JsonObject read(String name) {
    Path file = Path.of("..", "..", "config", name).toAbsolutePath().normalize();
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
