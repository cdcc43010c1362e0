package dev.switchboard.app.catalog;

import dev.switchboard.contracts.EventEnvelope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON Schema of the CloudEvents 1.0 envelope every event travels in (structured JSON mode), as
 * {@link EventEnvelope} writes and reads it.
 *
 * <p>{@code required} is what a reader insists on, so that a foreign producer knows the least it must
 * send; Switchboard's own producers always write every attribute but the optional trace context.
 */
final class EnvelopeSchema {

  private EnvelopeSchema() {
  }

  /** Every attribute but {@code data}: what browsers get on {@code events.live}. */
  static JsonObject attributes() {
    JsonObject properties = new JsonObject()
        .put("specversion", constant(EventEnvelope.SPEC_VERSION, "The CloudEvents version."))
        .put("id", text("The event's unique id (a UUID): the idempotency key. Consumers handle an id once."))
        .put("type", text("The event type, past tense: OrderPlaced."))
        .put("source", text("The module that produced the event: /orders."))
        .put("subject", text("The aggregate the event belongs to, e.g. the order id: the Kafka record key "
            + "and the ordering key."))
        .put("time", text("When it happened, RFC 3339.").put("format", "date-time"))
        .put("datacontenttype", constant(EventEnvelope.CONTENT_TYPE, "The media type of data."))
        .put("dataschema", text("The schema of data and its version: urn:switchboard:schema:<type>:<version>."))
        .put("dataversion", new JsonObject().put("type", "integer").put("minimum", 1)
            .put("description", "The version of data's schema; consumers upcast older versions."))
        // a number as we write it; a string of digits as the CloudEvents sequence extension writes it
        .put("sequence", new JsonObject().put("type", new JsonArray().add("integer").add("string"))
            .put("minimum", 0).put("pattern", "^[0-9]+$")
            .put("description", "The event's version within its stream (subject)."))
        .put("correlationid", text("The saga (the order) the event belongs to."))
        .put("causationid", text("The event or request that caused this event."))
        .put("traceparent", new JsonObject().put("type", "string")
            .put("pattern", "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")
            .put("description", "W3C trace context (CloudEvents distributed-tracing extension); optional."));
    return new JsonObject()
        .put("type", "object")
        .put("title", "CloudEvent attributes")
        .put("description", "The attributes of a Switchboard event: a CloudEvents 1.0 envelope in structured "
            + "JSON mode. Extension attributes other than these are allowed and ignored.")
        .put("required", new JsonArray().add("specversion").add("id").add("type").add("source").add("subject")
            .add("time"))
        .put("properties", properties);
  }

  /** The whole envelope, given the reference to {@link #attributes()}. */
  static JsonObject envelope(JsonObject attributesRef) {
    return new JsonObject()
        .put("title", "CloudEvent")
        .put("description", "A Switchboard event as it travels: its attributes and its data.")
        .put("allOf", new JsonArray()
            .add(attributesRef)
            .add(new JsonObject()
                .put("type", "object")
                .put("required", new JsonArray().add("data"))
                .put("properties", new JsonObject().put("data", new JsonObject().put("type", "object")
                    .put("description", "The payload; valid against the schema that dataschema names.")))));
  }

  private static JsonObject text(String description) {
    return new JsonObject().put("type", "string").put("minLength", 1).put("description", description);
  }

  private static JsonObject constant(String value, String description) {
    return new JsonObject().put("type", "string").put("const", value).put("description", description);
  }
}
