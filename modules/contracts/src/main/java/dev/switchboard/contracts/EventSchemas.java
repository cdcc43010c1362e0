package dev.switchboard.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;

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
 * against them (draft 2020-12). Every event that arrives from a broker is checked, by each consumer
 * that receives it, so the check is on the hot path: networknt's json-schema-validator does it in a
 * tenth of the time vertx-json-schema takes (about 3 against 30 µs for an order placed).
 */
public final class EventSchemas {

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  /** Reads data's numbers as they are written (decimals exactly), as the schema's bounds are meant. */
  private static final ObjectMapper DATA = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Map<String, JsonObject> schemas = new HashMap<>();
  private final Map<String, Schema> validators = new HashMap<>();

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
        loaded.validators.put(key, REGISTRY.getSchema(schema.encode()));
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
    Schema validator = validators.get(key(type, readableAs(type, version)));
    if (validator == null) {
      String known = EventCatalog.byName(type).isPresent() ? "unknown version of a known type" : "unknown event type";
      throw new InvalidEventData(type, version, List.of(known));
    }
    List<String> problems = new ArrayList<>();
    for (Error error : validator.validate(tree(data))) {
      problems.add(where(error.getInstanceLocation().toString()) + ": " + error.getMessage());
    }
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

  /**
   * A vertx-json-schema validator's findings as readable lines, where in the document and what is
   * wrong there: documents other than event data (the catalog's AsyncAPI document) are checked with one.
   */
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
    return where(unit.getInstanceLocation()) + ": " + unit.getError();
  }

  /** A location in the data as a JSON pointer, the data itself as "(root)". */
  private static String where(String instanceLocation) {
    return instanceLocation == null || instanceLocation.isEmpty() ? "(root)" : instanceLocation;
  }

  private static JsonNode tree(JsonObject data) {
    try {
      return DATA.readTree(data.encode());
    } catch (JsonProcessingException cannotHappen) {
      throw new IllegalStateException("event data that Vert.x encoded does not parse as JSON", cannotHappen);
    }
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
