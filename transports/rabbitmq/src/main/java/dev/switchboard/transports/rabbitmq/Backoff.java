package dev.switchboard.transports.rabbitmq;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before handing a message to its consumer again after nothing durable could be
 * recorded: doubling from {@code initialMillis} up to {@code maxMillis}, with "equal jitter" (half
 * fixed, half random) so that the messages held up by one outage do not all come back at once.
 */
record Backoff(long initialMillis, long maxMillis) {

  Backoff {
    if (initialMillis < 1 || maxMillis < initialMillis) {
      throw new IllegalArgumentException("a backoff needs 1 <= initialMillis <= maxMillis");
    }
  }

  /** The wait after the given failed attempt (1 for the first). */
  long after(int failedAttempt) {
    double exponential = initialMillis * Math.pow(2, Math.max(0, failedAttempt - 1));
    long step = (long) Math.min(maxMillis, exponential);
    long half = step - step / 2;
    return half + ThreadLocalRandom.current().nextLong(step - half + 1);
  }
}
