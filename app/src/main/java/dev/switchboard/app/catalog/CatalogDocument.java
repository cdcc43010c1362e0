package dev.switchboard.app.catalog;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The event catalog as {@code GET /catalog} serves it: for every type, in catalog order, who produces
 * it, who consumes it, every version published (the newest is what producers write) with its JSON
 * Schema, the compatibility each new version keeps, and where it travels on each broker.
 */
final class CatalogDocument {

  private CatalogDocument() {
  }

  static JsonObject of(SchemaFiles schemas) {
    JsonArray events = new JsonArray();
    EventCatalog.ALL.forEach(type -> events.add(entry(type, schemas)));
    return new JsonObject().put("events", events);
  }

  static JsonObject entry(EventType<?> type, SchemaFiles schemas) {
    return new JsonObject()
        .put("type", type.name())
        .put("version", type.version())
        .put("versions", new JsonArray(type.versions()))
        .put("compatibility", type.compatibility().name())
        .put("producer", type.module())
        .put("source", type.source())
        .put("dataschema", type.dataschema())
        .put("consumers", consumers(type))
        .put("schemas", schemas(type, schemas))
        .put("channels", channels(type));
  }

  private static JsonArray consumers(EventType<?> type) {
    JsonArray consumers = new JsonArray();
    Subscriptions.to(type).forEach(subscription -> consumers.add(new JsonObject()
        .put("module", subscription.module())
        .put("consumer", subscription.consumer())));
    return consumers;
  }

  /** Every version a consumer may still meet, keyed by version: old events are never rewritten. */
  private static JsonObject schemas(EventType<?> type, SchemaFiles schemas) {
    JsonObject byVersion = new JsonObject();
    for (int version = 1; version <= type.version(); version++) {
      byVersion.put(Integer.toString(version), schemas.schema(type, version));
    }
    return byVersion;
  }

  /** Where events of the type travel on each broker, as its wire names it. */
  private static JsonObject channels(EventType<?> type) {
    JsonObject channels = new JsonObject();
    Wires.available().forEach(wire -> channels.put(wire.type(), wire.channelsOf(type)));
    return channels;
  }
}
