package dev.switchboard.app.catalog;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import dev.switchboard.runtime.transport.wire.AsyncApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One AsyncAPI message per event type of the catalog: the CloudEvents envelope, with {@code type},
 * {@code source} and {@code dataschema} fixed to the type's and {@code data} the type's own JSON Schema,
 * one component schema per version ({@code OrderPlaced.v1}).
 */
final class EventMessages {

  static final String ATTRIBUTES = "CloudEventAttributes";
  static final String ENVELOPE = "CloudEvent";
  /** The media type of a CloudEvent in structured mode: the whole event is the JSON value. */
  static final String STRUCTURED_CLOUDEVENT = "application/cloudevents+json";

  private EventMessages() {
  }

  static void describe(AsyncApi doc, SchemaFiles schemas) {
    JsonObject attributes = doc.schema(ATTRIBUTES, EnvelopeSchema.attributes());
    JsonObject envelope = doc.schema(ENVELOPE, EnvelopeSchema.envelope(attributes));
    for (EventType<?> type : EventCatalog.ALL) {
      JsonArray data = new JsonArray();
      for (int version = 1; version <= type.version(); version++) {
        data.add(doc.schema(dataSchemaId(type, version), asAsyncApiSchema(schemas.schema(type, version))));
      }
      JsonObject message = message(type, envelope, data);
      String summary = schemas.schema(type, type.version()).getString("description");
      if (summary != null) {
        message.put("summary", summary);
      }
      doc.message(type.name(), message);
    }
  }

  private static String dataSchemaId(EventType<?> type, int version) {
    return type.name() + ".v" + version;
  }

  /**
   * A catalog schema as an AsyncAPI Schema Object. Its keywords all mean the same in draft-07, whose
   * superset the AsyncAPI Schema Object is, so only two go: {@code $schema}, as the document fixes the
   * dialect, and {@code $id}, which tools that inline a component in several places see as a clash.
   * The dataschema URN it stood for is in the message, on {@code dataschema}.
   */
  private static JsonObject asAsyncApiSchema(JsonObject catalogSchema) {
    JsonObject schema = catalogSchema.copy();
    schema.remove("$schema");
    schema.remove("$id");
    return schema;
  }

  /** The envelope with this type's attributes fixed and its data schemas; one reference per version. */
  private static JsonObject message(EventType<?> type, JsonObject envelope, JsonArray data) {
    JsonArray versions = new JsonArray();
    JsonArray dataschemas = new JsonArray();
    for (int version = 1; version <= type.version(); version++) {
      versions.add(version);
      dataschemas.add(type.dataschema(version));
    }
    // one version: the schema itself; several: any of them, since old events are never rewritten
    JsonObject dataSchema = data.size() == 1 ? data.getJsonObject(0) : new JsonObject().put("anyOf", data);
    JsonObject ofThisType = new JsonObject()
        .put("type", "object")
        .put("properties", new JsonObject()
            .put("type", new JsonObject().put("const", type.name()))
            .put("source", new JsonObject().put("const", type.source()))
            .put("dataschema", new JsonObject().put("enum", dataschemas))
            .put("dataversion", new JsonObject().put("enum", versions))
            .put("data", dataSchema));
    return new JsonObject()
        .put("name", type.name())
        .put("title", type.name())
        .put("contentType", STRUCTURED_CLOUDEVENT)
        // what each new version of the type promises its readers (BACKWARD, FORWARD or FULL), as a registry says it
        .put("x-compatibility", type.compatibility().name())
        .put("payload", new JsonObject().put("allOf", new JsonArray().add(envelope).add(ofThisType)))
        .put("bindings", new JsonObject().put("kafka", new JsonObject()
            .put("key", new JsonObject().put("type", "string")
                .put("description", "The event's subject (the order id for an order's events): "
                    + "one partition per aggregate keeps its events in order."))
            .put("bindingVersion", "0.5.0")));
  }
}
