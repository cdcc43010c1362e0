package dev.switchboard.contracts;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schemas of the catalog, loaded once from the contracts jar, and validation of event data
 * against them (vertx-json-schema, draft 2020-12).
 */
public final class EventSchemas {

  private static final JsonSchemaOptions OPTIONS = new JsonSchemaOptions()
      .setDraft(Draft.DRAFT202012)
      .setBaseUri("urn:switchboard:schema")
      .setOutputFormat(OutputFormat.Basic);

  private final Map<String, JsonObject> schemas = new HashMap<>();
  private final Map<String, Validator> validators = new HashMap<>();

  private EventSchemas() {
  }

  /** Loads the schema of every version of every catalog type; a missing schema fails start-up. */
  public static EventSchemas load() {
    EventSchemas loaded = new EventSchemas();
    for (EventType<?> type : EventCatalog.ALL) {
      for (int version = 1; version <= type.version(); version++) {
        JsonObject schema = readResource(type.schemaResource(version));
        String key = key(type.name(), version);
        loaded.schemas.put(key, schema);
        // JsonSchema.of annotates the object it is given: the served schema stays as the file has it
        loaded.validators.put(key, Validator.create(JsonSchema.of(schema.copy()), OPTIONS));
      }
    }
    return loaded;
  }

  /** The schema of one version of a type, as published in the event catalog. */
  public JsonObject schema(String type, int version) {
    JsonObject schema = schemas.get(key(type, version));
    return schema == null ? null : schema.copy();
  }

  /**
   * Checks an envelope's {@code data} against the schema its type and version name.
   *
   * @throws InvalidEventData listing every problem found
   */
  public void validate(EventEnvelope envelope) {
    validate(envelope.type(), envelope.dataversion(), envelope.data());
  }

  public void validate(String type, int version, JsonObject data) {
    Validator validator = validators.get(key(type, readableAs(type, version)));
    if (validator == null) {
      String known = EventCatalog.byName(type).isPresent() ? "unknown version of a known type" : "unknown event type";
      throw new InvalidEventData(type, version, List.of(known));
    }
    List<String> problems = problems(validator.validate(data));
    problems.addAll(NulCharacters.in(data));
    if (!problems.isEmpty()) {
      throw new InvalidEventData(type, version, problems);
    }
  }

  /**
   * The version whose schema checks data of {@code version}: itself, or for a version newer than this
   * node knows (written by a node already upgraded) the newest it knows, if the type promises that
   * readers of a version read the next ({@link CompatibilityMode#forward()}).
   */
  private static int readableAs(String type, int version) {
    return EventCatalog.byName(type)
        .filter(known -> version > known.version() && known.compatibility().forward())
        .map(EventType::version)
        .orElse(version);
  }

  /** The validator's findings as readable lines: where in the data, and what is wrong there. */
  public static List<String> problems(OutputUnit result) {
    List<String> problems = new ArrayList<>();
    if (Boolean.TRUE.equals(result.getValid())) {
      return problems;
    }
    List<OutputUnit> errors = result.getErrors();
    if (errors == null || errors.isEmpty()) {
      problems.add(describe(result));
    } else {
      for (OutputUnit error : errors) {
        problems.add(describe(error));
      }
    }
    return problems;
  }

  private static String describe(OutputUnit unit) {
    String where = unit.getInstanceLocation() == null || unit.getInstanceLocation().isEmpty()
        ? "(root)" : unit.getInstanceLocation();
    return where + ": " + unit.getError();
  }

  private static String key(String type, int version) {
    return type + "/v" + version;
  }

  private static JsonObject readResource(String path) {
    try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("event schema missing from the contracts jar: " + path);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read event schema " + path, e);
    }
  }
}
