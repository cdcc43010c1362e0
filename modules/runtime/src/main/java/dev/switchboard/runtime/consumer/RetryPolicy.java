package dev.switchboard.runtime.consumer;

import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how patiently a failing handler is retried before its event becomes a dead letter:
 * exponential backoff with jitter, capped.
 *
 * @param maxAttempts          attempts in all, the first included
 * @param initialBackoffMillis the wait before the second attempt
 * @param maxBackoffMillis     the longest wait between two attempts
 */
public record RetryPolicy(int maxAttempts, long initialBackoffMillis, long maxBackoffMillis) {

  public RetryPolicy {
    if (maxAttempts < 1 || initialBackoffMillis < 1 || maxBackoffMillis < initialBackoffMillis) {
      throw new IllegalArgumentException("consumers.retry needs maxAttempts >= 1 and 1 <= initialBackoffMillis"
          + " <= maxBackoffMillis");
    }
  }

  /**
   * Waits for something that is tried until it succeeds or is given up from outside (a broker
   * transport handing a message to its consumer again while nothing durable can be recorded):
   * attempts without end, the waits doubling from {@code initialBackoffMillis} up to
   * {@code maxBackoffMillis} with the same jitter as a handler's retries.
   */
  public static RetryPolicy withoutEnd(long initialBackoffMillis, long maxBackoffMillis) {
    return new RetryPolicy(Integer.MAX_VALUE, initialBackoffMillis, maxBackoffMillis);
  }

  /** Reads {@code consumers.retry}, every key of it ({@code config/default.json} gives each its default). */
  public static RetryPolicy from(JsonObject retry) {
    ConfigSection section = ConfigSection.of("consumers.retry", retry);
    return new RetryPolicy(
        section.integer("maxAttempts"),
        section.wholeNumber("initialBackoffMillis"),
        section.wholeNumber("maxBackoffMillis"));
  }

  /**
   * The wait after the given failed attempt: the exponential step, capped, with "equal jitter" (half
   * fixed, half random) so that consumers failing together do not retry in lock-step.
   */
  public long backoffAfter(int failedAttempt) {
    double exponential = initialBackoffMillis * Math.pow(2, Math.max(0, failedAttempt - 1));
    long step = (long) Math.min(maxBackoffMillis, exponential);
    long half = step - step / 2; // rounded up: at least 1, and half + (step - half) never exceeds the cap
    return half + ThreadLocalRandom.current().nextLong(step - half + 1);
  }
}
