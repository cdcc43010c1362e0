package dev.switchboard.runtime.transport.wire;

import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.consumer.RetryPolicy;

/**
 * How the runtime delivers one wire's messages to a consumer.
 *
 * @param inFlight           at most this many messages in hand at once per consumer, across orders
 *                           (the broker's prefetch or fetch size should match it)
 * @param redelivery         the waits before a message is handed to its consumer again after the consumer
 *                           could record nothing (the store is down); without end
 * @param drainTimeoutMillis how long a closing consumer waits for the messages in hand to finish
 */
public record DeliverySettings(int inFlight, RetryPolicy redelivery, long drainTimeoutMillis) {

  public DeliverySettings {
    if (inFlight < 1) {
      throw new IllegalArgumentException("inFlight must be at least 1, was " + inFlight);
    }
    if (drainTimeoutMillis < 0) {
      throw new IllegalArgumentException("drainTimeoutMillis must not be negative, was " + drainTimeoutMillis);
    }
  }

  /**
   * Reads the keys every wire's section has for its deliveries: {@code drainTimeoutMillis},
   * {@code retryInitialBackoffMillis} and {@code retryMaxBackoffMillis}, and the in-flight bound under
   * the name the broker gives it ({@code maxInFlight}; RabbitMQ's {@code prefetch}). A value that
   * cannot work fails naming its key.
   *
   * @param wire the wire's section ({@code transport.<type>})
   */
  public static DeliverySettings from(ConfigSection wire, String inFlightKey) {
    int inFlight = wire.integer(inFlightKey);
    long drainTimeoutMillis = wire.wholeNumber("drainTimeoutMillis");
    long initialBackoffMillis = wire.wholeNumber("retryInitialBackoffMillis");
    long maxBackoffMillis = wire.wholeNumber("retryMaxBackoffMillis");
    wire.require(inFlight >= 1, inFlightKey, "must be at least 1 (was " + inFlight + ")");
    wire.require(drainTimeoutMillis >= 0, "drainTimeoutMillis", "must not be negative (was " + drainTimeoutMillis + ")");
    wire.require(initialBackoffMillis >= 1, "retryInitialBackoffMillis",
        "must be positive (was " + initialBackoffMillis + ")");
    wire.require(maxBackoffMillis >= initialBackoffMillis, "retryMaxBackoffMillis",
        "must be at least retryInitialBackoffMillis (was " + maxBackoffMillis + ", " + initialBackoffMillis + ")");
    return new DeliverySettings(inFlight, RetryPolicy.withoutEnd(initialBackoffMillis, maxBackoffMillis),
        drainTimeoutMillis);
  }
}
