package dev.switchboard.app.catalog;

import dev.switchboard.runtime.transport.wire.AsyncApi;
import io.vertx.core.json.JsonObject;

/**
 * The AsyncAPI 3.0.0 description of Switchboard's events, generated from the same registry as
 * {@code GET /catalog} (the event catalog, its subscriptions and its schemas), so the two cannot
 * disagree: a message per event type, and the channels and operations of every transport.
 */
final class AsyncApiDocument {

  private AsyncApiDocument() {
  }

  static JsonObject of(SchemaFiles schemas, String version) {
    AsyncApi doc = new AsyncApi(info(version));
    // messages first: the channels list them, and the live events reuse the envelope's schema
    EventMessages.describe(doc, schemas);
    // each broker's channels, named by its wire, in the order of their transport types
    Wires.available().forEach(wire -> wire.describe(doc));
    EventBusChannels.describe(doc);
    return doc.toJson();
  }

  private static JsonObject info(String version) {
    return new JsonObject()
        .put("title", "Switchboard")
        .put("version", version)
        .put("description", "The events of Switchboard, an event-driven commerce backend. Every event is a "
            + "CloudEvents 1.0 envelope in structured JSON mode; its data follows the JSON Schema that its "
            + "dataschema names (GET /catalog/{type} serves every version). Delivery is at-least-once: "
            + "handle each event id once. Events of one subject (an order) arrive in order. "
            + "The transport is chosen by configuration (transport.type): kafka, rabbitmq, sqs, or local, where "
            + "modules share the event store and only the event bus bridge below reaches outside.");
  }
}
