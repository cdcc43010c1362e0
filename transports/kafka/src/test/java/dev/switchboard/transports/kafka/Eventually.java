package dev.switchboard.transports.kafka;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds, for what takes a broker its time (rebalances, reconnections):
 * a generous deadline that only a real failure reaches, never a timing being asserted.
 */
final class Eventually {

  static final Duration DEADLINE = Duration.ofSeconds(60);

  private Eventually() {
  }

  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting, after " + DEADLINE + ", until " + what);
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }
}
