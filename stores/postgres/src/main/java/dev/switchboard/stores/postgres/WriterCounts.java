package dev.switchboard.stores.postgres;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the writer sent, for tests and measurements: statements, and round trips (a statement sent
 * while no answer is awaited starts one; those sent behind it share it).
 */
final class WriterCounts {

  private final AtomicLong statements = new AtomicLong();
  private final AtomicLong roundTrips = new AtomicLong();

  void sent(boolean startsRoundTrip) {
    statements.incrementAndGet();
    if (startsRoundTrip) {
      roundTrips.incrementAndGet();
    }
  }

  long statements() {
    return statements.get();
  }

  long roundTrips() {
    return roundTrips.get();
  }
}
