package dev.switchboard.runtime.transport.delivery;

import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.transport.Delivery;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one consumer's dead letters to its dead-letter channel on the broker (the topic or queue
 * {@code switchboard.<consumer>.dlq}), so that the broker's tools see them too. Only a delivery that
 * ended as a dead letter is copied; the copy is the letter as JSON ({@link DeadLetter#toJson()}),
 * and where the broker orders by key it travels under {@link #keyOf}.
 *
 * <p>The store holds the letter already (that is what made the delivery count as done), so a copy
 * that fails is a warning, never a reason to deliver the message again. The wire's {@link Send}
 * bounds its own wait (a copy holds its message's lane until it ends); this class adds no timer of
 * its own, so that the outcome comes back on the context the send completes on.
 */
public final class DeadLetterForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterForwarder.class);

  /** The wire's part: puts one letter on the consumer's dead-letter channel, failing within a bound of its own. */
  @FunctionalInterface
  public interface Send {
    Future<Void> send(DeadLetter letter);
  }

  private final String consumer;
  private final String channel;
  private final Send send;

  /**
   * @param consumer whose dead letters these are
   * @param channel  the name of its dead-letter channel on the broker, for the log
   */
  public DeadLetterForwarder(String consumer, String channel, Send send) {
    this.consumer = consumer;
    this.channel = channel;
    this.send = send;
  }

  /** Copies the dead letter of a delivery that made one; succeeds at once for any other. Never fails. */
  public Future<Void> forward(Delivery delivery) {
    if (delivery.outcome() != Delivery.Outcome.DEAD_LETTERED || delivery.deadLetter().isEmpty()) {
      return Future.succeededFuture();
    }
    DeadLetter letter = delivery.deadLetter().get();
    Future<Void> sent;
    try {
      sent = send.send(letter);
    } catch (RuntimeException thrown) {
      sent = Future.failedFuture(thrown);
    }
    return sent.recover(failure -> {
      LOG.atWarn()
          .addKeyValue("deadLetterId", letter.id())
          .addKeyValue("eventId", letter.eventId())
          .log("dead letter {} of {} is in the store but was not copied to {}: {}", letter.id(), consumer, channel,
              failure.getMessage());
      return Future.succeededFuture();
    });
  }

  /** The event's subject, so that a subject's letters stay in order; the letter id where there is none. */
  public static String keyOf(DeadLetter letter) {
    Object subject = letter.event() == null ? null : letter.event().getValue("subject");
    return subject instanceof String text && !text.isBlank() ? text : letter.id();
  }
}
