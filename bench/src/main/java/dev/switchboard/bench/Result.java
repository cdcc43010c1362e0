package dev.switchboard.bench;

import io.vertx.core.json.JsonObject;

/**
 * One measured figure set: what was measured, the throughput reached, latencies where they apply,
 * and the baseline it is compared with. Throughputs are per second.
 */
public record Result(String scenario, String unit, double perSecond, JsonObject details) {

  public JsonObject toJson() {
    return new JsonObject().put("scenario", scenario).put("unit", unit).put("perSecond", perSecond)
        .put("details", details);
  }
}
