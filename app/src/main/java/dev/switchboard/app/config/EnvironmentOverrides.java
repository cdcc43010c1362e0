package dev.switchboard.app.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Applies {@code SWITCHBOARD_<PATH>} environment variables: {@code SWITCHBOARD_HTTP_PORT=9090} sets
 * {@code http.port}. Path segments are matched to existing keys case-insensitively (so
 * {@code SWITCHBOARD_PAYMENTS_MAXAMOUNT} sets {@code payments.maxAmount}); the value takes the type
 * of the default it replaces; a list is written comma-separated. A variable naming no known key is
 * an error, so that a typo does not go unnoticed.
 */
final class EnvironmentOverrides {

  static final String PREFIX = "SWITCHBOARD_";

  private EnvironmentOverrides() {
  }

  static void apply(JsonObject config, Map<String, String> environment) {
    // sorted, so that the outcome does not depend on the order the environment lists variables in
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      if (variable.getKey().startsWith(PREFIX)) {
        override(config, variable.getKey(), variable.getValue());
      }
    }
  }

  private static void override(JsonObject config, String variable, String value) {
    String[] segments = variable.substring(PREFIX.length()).split("_");
    JsonObject parent = config;
    for (int i = 0; i < segments.length - 1; i++) {
      String key = key(parent, segments[i])
          .orElseThrow(() -> unknown(variable));
      Object child = parent.getValue(key);
      if (!(child instanceof JsonObject object)) {
        throw unknown(variable);
      }
      parent = object;
    }
    String key = key(parent, segments[segments.length - 1]).orElseThrow(() -> unknown(variable));
    parent.put(key, convert(variable, parent.getValue(key), value));
  }

  private static Optional<String> key(JsonObject object, String segment) {
    return object.fieldNames().stream().filter(name -> name.equalsIgnoreCase(segment)).findFirst();
  }

  private static Object convert(String variable, Object current, String value) {
    try {
      if (current instanceof Integer) {
        return Integer.parseInt(value.trim());
      }
      if (current instanceof Long) {
        return Long.parseLong(value.trim());
      }
      if (current instanceof Number) {
        return Double.parseDouble(value.trim());
      }
      if (current instanceof Boolean) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new ConfigurationError(variable + " must be true or false, was \"" + value + "\"");
        }
        return Boolean.parseBoolean(value);
      }
      if (current instanceof JsonArray) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
          if (!item.isBlank()) {
            items.add(item.trim());
          }
        }
        return new JsonArray(new ArrayList<>(items));
      }
      if (current instanceof JsonObject) {
        throw new ConfigurationError(variable + " names a group of settings; set its keys one by one");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ConfigurationError(variable + " must be a number, was \"" + value + "\"");
    }
  }

  private static ConfigurationError unknown(String variable) {
    return new ConfigurationError(variable + " names no configuration key (see config/default.json)");
  }
}
