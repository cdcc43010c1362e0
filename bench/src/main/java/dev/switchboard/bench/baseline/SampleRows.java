package dev.switchboard.bench.baseline;

import dev.switchboard.runtime.testing.TestEvents;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** Rows shaped like our events (a real OrderPlaced envelope), for the raw append baselines. */
final class SampleRows {

  static final String ENVELOPE = TestEvents.orderPlaced("order-" + UUID.randomUUID()).toJson().encode();

  private SampleRows() {
  }

  static JsonObject envelope() {
    return new JsonObject(ENVELOPE);
  }
}
