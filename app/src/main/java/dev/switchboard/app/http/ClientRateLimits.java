package dev.switchboard.app.http;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per client (remote address): a client may send {@code burst} requests at once and
 * {@code requestsPerSecond} steadily after that. Used on the HTTP server's event loop only, so it
 * needs no locks.
 *
 * <p>Buckets that have filled up again are forgotten on the next sweep: a client that stopped costs
 * nothing, and a flood of addresses costs only the buckets of those still sending.
 */
final class ClientRateLimits {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  /** More buckets than this and the next request sweeps the full ones away. */
  private static final int SWEEP_ABOVE = 10_000;

  private final double perNano;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets = new HashMap<>();

  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long refilledAt) {
      this.tokens = tokens;
      this.refilledAt = refilledAt;
    }
  }

  ClientRateLimits(double requestsPerSecond, int burst, LongSupplier nanoTime) {
    this.perNano = requestsPerSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.nanoTime = nanoTime;
  }

  /** Takes a token from the client's bucket; false if it is empty (the request must be refused). */
  boolean tryTake(String client) {
    long now = nanoTime.getAsLong();
    if (buckets.size() > SWEEP_ABOVE) {
      sweep(now);
    }
    Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(burst, now));
    refill(bucket, now);
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  /** Whole seconds until the client's bucket holds a token again, at least 1 (for {@code Retry-After}). */
  long secondsUntilNextToken(String client) {
    Bucket bucket = buckets.get(client);
    double missing = bucket == null ? 0 : Math.max(0, 1 - bucket.tokens);
    return Math.max(1, (long) Math.ceil(missing / (perNano * NANOS_PER_SECOND)));
  }

  int clients() {
    return buckets.size();
  }

  private void refill(Bucket bucket, long now) {
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) * perNano);
    bucket.refilledAt = now;
  }

  private void sweep(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket bucket = it.next();
      refill(bucket, now);
      if (bucket.tokens >= burst) {
        it.remove();
      }
    }
  }
}
