package dev.switchboard.runtime.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One section of a node's configuration, read key by key. Every key has its one default in
 * {@code config/default.json}, under every node's configuration: a key missing here is a mistake
 * (a section built by hand, a key renamed in one place only), so it fails naming the key, rather
 * than taking a second default written in code that could drift from the file's.
 */
public final class ConfigSection {

  private final String path;
  private final JsonObject values;

  private ConfigSection(String path, JsonObject values) {
    if (values == null) {
      throw new IllegalArgumentException(path + " is missing from the configuration");
    }
    this.path = Objects.requireNonNull(path, "path");
    this.values = values;
  }

  /**
   * @param path where the section is, as the README's table names its keys ({@code transport.kafka})
   */
  public static ConfigSection of(String path, JsonObject values) {
    return new ConfigSection(path, values);
  }

  public String text(String key) {
    return as(key, String.class, "a string");
  }

  public int integer(String key) {
    long value = wholeNumber(key);
    if (value != (int) value) {
      throw new IllegalArgumentException(name(key) + " is out of range (was " + value + ")");
    }
    return (int) value;
  }

  public long wholeNumber(String key) {
    Number value = as(key, Number.class, "a whole number");
    if (value.doubleValue() != value.longValue()) {
      throw new IllegalArgumentException(name(key) + " must be a whole number (was " + value + ")");
    }
    return value.longValue();
  }

  /** A number that may have a fraction (an amount of money, a ratio). */
  public Number number(String key) {
    return as(key, Number.class, "a number");
  }

  public boolean flag(String key) {
    return as(key, Boolean.class, "true or false");
  }

  public JsonArray list(String key) {
    return as(key, JsonArray.class, "a list");
  }

  /** A section inside this one. */
  public ConfigSection section(String key) {
    return new ConfigSection(name(key), object(key));
  }

  public JsonObject object(String key) {
    return as(key, JsonObject.class, "an object");
  }

  /**
   * Fails, naming the key, unless {@code holds}: for a value of the right kind that cannot work.
   *
   * @param problem what is wrong, after the key's name ({@code "must be positive (was 0)"})
   */
  public void require(boolean holds, String key, String problem) {
    if (!holds) {
      throw new IllegalArgumentException(name(key) + " " + problem);
    }
  }

  private <T> T as(String key, Class<T> type, String expected) {
    Object value = values.getValue(key);
    if (value == null) {
      throw new IllegalArgumentException(name(key) + " is missing (config/default.json gives every key its default)");
    }
    if (!type.isInstance(value)) {
      // the kind only, never the value: it may be a secret given in the wrong place
      throw new IllegalArgumentException(name(key) + " must be " + expected + " (was " + kindOf(value) + ")");
    }
    return type.cast(value);
  }

  private static String kindOf(Object value) {
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "true or false";
    }
    return value instanceof JsonArray ? "a list" : "an object";
  }

  private String name(String key) {
    return path + "." + key;
  }
}
