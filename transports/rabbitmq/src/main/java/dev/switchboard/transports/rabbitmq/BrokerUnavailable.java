package dev.switchboard.transports.rabbitmq;

/**
 * The broker cannot be reached now, or did not confirm in time: the caller tries again later (the
 * outbox relay does; a subscription retries on the next connection).
 */
public final class BrokerUnavailable extends RuntimeException {

  public BrokerUnavailable(String message) {
    super(message);
  }

  public BrokerUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
