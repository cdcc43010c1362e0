package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.store.DeadLetter;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Copies a consumer's dead letters to its queue {@code switchboard.<consumer>.dlq}, so that broker
 * tools see them too. The store holds the letter already (that is what made the delivery count as
 * done), so a copy that fails is a warning, never a reason to deliver the message again.
 */
final class DeadLetterForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterForwarder.class);

  private final Publisher publisher;

  DeadLetterForwarder(Publisher publisher) {
    this.publisher = publisher;
  }

  /** Never fails. */
  Future<Void> forward(DeadLetter letter) {
    return publisher.publish(List.of(OutgoingMessage.deadLetter(letter))).recover(failure -> {
      LOG.atWarn()
          .addKeyValue("deadLetterId", letter.id())
          .addKeyValue("eventId", letter.eventId())
          .log("dead letter {} of {} is in the store but was not copied to {}: {}", letter.id(), letter.consumer(),
              Names.deadLetterQueueOf(letter.consumer()), failure.getMessage());
      return Future.succeededFuture();
    });
  }
}
