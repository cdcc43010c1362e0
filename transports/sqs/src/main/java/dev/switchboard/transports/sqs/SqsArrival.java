package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.wire.Arrival;
import io.vertx.core.Future;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

import java.nio.charset.StandardCharsets;

/**
 * One received SQS message, held as long as its receipt's visibility lasts: the wire counts that from
 * the moment it asked for the message (or last extended it), so it never believes it holds a message
 * SQS may have handed to another receiver already.
 */
final class SqsArrival implements Arrival {

  private final SqsSource source;
  private final Message message;
  private final String queue;
  private volatile long visibleUntilNanos;
  private volatile boolean settled;
  /** An extension of its visibility is on its way. */
  boolean extending;

  SqsArrival(SqsSource source, Message message, String queue, long visibleUntilNanos) {
    this.source = source;
    this.message = message;
    this.queue = queue;
    this.visibleUntilNanos = visibleUntilNanos;
  }

  @Override
  public byte[] body() {
    return message.body() == null ? null : message.body().getBytes(StandardCharsets.UTF_8);
  }

  /** One queue per consumer carries every module's events: only the event's source is checked. */
  @Override
  public String channelModule() {
    return null;
  }

  /**
   * None: a queue gets only the types its consumer subscribed to (the wire fans out by type), so its
   * message attributes are not even asked for.
   */
  @Override
  public String typeHeader() {
    return null;
  }

  @Override
  public String where() {
    return "SQS queue " + queue + ", message " + message.messageId() + " (group "
        + message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID) + ", receive "
        + message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT) + ")";
  }

  @Override
  public boolean held() {
    return !settled && System.nanoTime() - visibleUntilNanos < 0;
  }

  @Override
  public Future<Void> acknowledge() {
    return source.acknowledge(this);
  }

  @Override
  public Future<Void> release() {
    return source.release(this);
  }

  String receiptHandle() {
    return message.receiptHandle();
  }

  long visibleUntilNanos() {
    return visibleUntilNanos;
  }

  void visibleUntil(long nanos) {
    visibleUntilNanos = nanos;
  }

  /** Settles it here, once: true if it was still held (the caller tells SQS), false if already settled or lost. */
  boolean settle() {
    if (!held()) {
      return false;
    }
    settled = true;
    return true;
  }
}
