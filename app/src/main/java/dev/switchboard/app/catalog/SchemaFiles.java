package dev.switchboard.app.catalog;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON Schema of every version of every catalog type, exactly as the contracts jar holds it.
 *
 * <p>Read here rather than taken from {@code EventSchemas}: the validators it builds annotate the very
 * objects they are given (vertx-json-schema adds {@code __absolute_uri__} keys), so the schemas it
 * hands out are no longer the published files.
 */
final class SchemaFiles {

  private final Map<String, JsonObject> schemas;

  private SchemaFiles(Map<String, JsonObject> schemas) {
    this.schemas = schemas;
  }

  /** Reads them all; a missing one fails here, at start, rather than on a request. */
  static SchemaFiles load() {
    Map<String, JsonObject> schemas = new HashMap<>();
    for (EventType<?> type : EventCatalog.ALL) {
      for (int version = 1; version <= type.version(); version++) {
        schemas.put(type.schemaResource(version), read(type.schemaResource(version)));
      }
    }
    return new SchemaFiles(schemas);
  }

  /** A copy, so that no document built from it can change what the next one sees. */
  JsonObject schema(EventType<?> type, int version) {
    JsonObject schema = schemas.get(type.schemaResource(version));
    if (schema == null) {
      throw new IllegalArgumentException(type.name() + " has no version " + version);
    }
    return schema.copy();
  }

  private static JsonObject read(String resource) {
    try (InputStream in = EventType.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("event schema missing from the contracts jar: " + resource);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read event schema " + resource, e);
    }
  }
}
