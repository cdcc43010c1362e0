package dev.switchboard.transports.kafka;

/** Kafka did not acknowledge every record of a publish: the caller keeps the events and tries again. */
public final class PublishFailed extends RuntimeException {
  PublishFailed(String message, Throwable cause) {
    super(message, cause);
  }
}
