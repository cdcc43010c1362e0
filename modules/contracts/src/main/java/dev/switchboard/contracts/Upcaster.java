package dev.switchboard.contracts;

import io.vertx.core.json.JsonObject;

/**
 * One step in the history of an event type: turns the {@code data} of one version into the data of
 * the next. It works on JSON, not on records, because only the newest version has a record; it is
 * given a copy, which it may change and return.
 */
@FunctionalInterface
public interface Upcaster {

  JsonObject upcast(JsonObject data);
}
