package dev.switchboard.bench.scenario;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/** Latency samples in nanoseconds, and their percentiles. */
final class Latencies {

  private long[] samples = new long[1 << 16];
  private int count;

  synchronized void add(long nanos) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, samples.length * 2);
    }
    samples[count++] = nanos;
  }

  synchronized int count() {
    return count;
  }

  /** p50, p99, p99.9 and max in milliseconds. */
  synchronized JsonObject summary() {
    long[] sorted = Arrays.copyOf(samples, count);
    Arrays.sort(sorted);
    return new JsonObject()
        .put("samples", count)
        .put("p50Millis", millis(sorted, 0.50))
        .put("p99Millis", millis(sorted, 0.99))
        .put("p999Millis", millis(sorted, 0.999))
        .put("maxMillis", count == 0 ? 0 : sorted[count - 1] / 1e6);
  }

  private static double millis(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return Math.round(sorted[Math.max(0, index)] / 1e4) / 100.0;
  }
}
