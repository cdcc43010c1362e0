package dev.switchboard.runtime.transport.wire;

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
}
