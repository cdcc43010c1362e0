package dev.switchboard.bench.baseline;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.switchboard.runtime.testing.TestEvents;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** Rows shaped like our events (a real OrderPlaced envelope), for the raw append baselines. */
final class SampleRows {

  static final String ENVELOPE = TestEvents.orderPlaced("order-" + UUID.randomUUID()).toJson().encode();
  /** The ids our events and orders get: time-ordered (version 7) UUIDs, as the indexes see them. */
  private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

  private SampleRows() {
  }

  static String newId() {
    return IDS.generate().toString();
  }

  static JsonObject envelope() {
    return new JsonObject(ENVELOPE);
  }
}
