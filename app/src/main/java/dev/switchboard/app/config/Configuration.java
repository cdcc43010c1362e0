package dev.switchboard.app.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds a node's configuration: {@code config/default.json} (inside the jar), then each
 * {@code --config} file in order (later wins, merged deeply), then {@code SWITCHBOARD_*}
 * environment variables, one key each.
 *
 * <p>Runs before logging is set up (the log format is itself configuration), so it reports problems
 * by throwing {@link ConfigurationError}, never by logging.
 */
public final class Configuration {

  static final String DEFAULTS = "config/default.json";

  private Configuration() {
  }

  public static JsonObject load(List<Path> profiles, Map<String, String> environment) {
    JsonObject config = defaults();
    for (Path profile : profiles) {
      config.mergeIn(read(profile), true);
    }
    EnvironmentOverrides.apply(config, environment);
    return config;
  }

  public static JsonObject defaults() {
    try (InputStream in = Configuration.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new ConfigurationError(DEFAULTS + " is missing from the application jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ConfigurationError("cannot read " + DEFAULTS + ": " + e.getMessage());
    }
  }

  private static JsonObject read(Path profile) {
    String text;
    try {
      text = Files.readString(profile);
    } catch (IOException e) {
      throw new ConfigurationError("cannot read configuration file " + profile + ": " + e);
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigurationError("configuration file " + profile + " is not a JSON object: " + e.getMessage());
    }
  }
}
