package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.delivery.DeadLetterForwarder;
import dev.switchboard.runtime.transport.delivery.Incoming;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Takes one consumed record to the consumer's {@link Inbound} and sees it through: skipped when
 * the consumer does not subscribe to its type, delivered when it is a CloudEvent, dead-lettered as
 * text when it is not, and its dead letter copied to the consumer's dead-letter topic.
 *
 * <p>When the inbound fails (nothing durable happened: the store is down), the same record is
 * tried again, in place, with capped exponential backoff, holding its subject's lane so nothing of
 * that order overtakes it: skipping it would lose it. Only a closing subscription stops retrying;
 * the record then stays uncommitted and is delivered again after a restart or to another node.
 */
final class RecordDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(RecordDelivery.class);

  /** Waits between attempts while the inbound keeps failing: 100 ms doubling to 5 s, with jitter. */
  private static final RetryPolicy REDELIVERY = RetryPolicy.withoutEnd(100, 5_000);

  /** Makes the delivery of a subscription, which tells whether it is closing. */
  @FunctionalInterface
  interface Factory {
    RecordDelivery create(BooleanSupplier closing);
  }

  /** Why a record was not delivered: the subscription is closing. */
  static final class LeftForRedelivery extends RuntimeException {
    LeftForRedelivery(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final String consumer;
  private final Set<String> types;
  private final Inbound inbound;
  private final DeadLetterForwarder deadLetters;
  private final BooleanSupplier closing;

  RecordDelivery(Vertx vertx, Context context, String consumer, Set<String> types, Inbound inbound,
                 DeadLetterForwarder deadLetters, BooleanSupplier closing) {
    this.vertx = vertx;
    this.context = context;
    this.consumer = consumer;
    this.types = Set.copyOf(types);
    this.inbound = inbound;
    this.deadLetters = deadLetters;
    this.closing = closing;
  }

  /**
   * @return succeeds once the record is done with (the offset may be committed), on the consumer's
   *     context; fails only when the subscription closed before that
   */
  Future<Void> handle(ConsumerRecord<String, byte[]> record) {
    if (closing.getAsBoolean()) {
      // not even started: a record behind one that was given up must not overtake it
      return Future.failedFuture(new LeftForRedelivery("closing before " + coordinates(record), null));
    }
    Incoming incoming = IncomingRecord.classify(record.value(), record.topic(), types);
    Future<Void> done;
    if (incoming instanceof Incoming.Deliver deliver) {
      EventEnvelope event = deliver.event().envelope();
      done = untilAcknowledged(record, event, () -> inbound.deliver(deliver.event()), 1).compose(deadLetters::forward);
    } else if (incoming instanceof Incoming.Refuse refuse) {
      LOG.warn("{} refused the record at {}: {}", consumer, coordinates(record), refuse.reason());
      done = untilAcknowledged(record, refuse.event().envelope(), () -> inbound.refuse(refuse.event(), refuse.reason()), 1)
          .compose(deadLetters::forward);
    } else if (incoming instanceof Incoming.Unreadable unreadable) {
      // the consumer's runner logs the dead letter; this says where the record lies
      LOG.info("{} received a record that is not a CloudEvent at {}: {}", consumer, coordinates(record),
          unreadable.reason());
      done = untilAcknowledged(record, null, () -> inbound.unreadable(unreadable.payload(), unreadable.reason()), 1)
          .compose(deadLetters::forward);
    } else {
      done = Future.succeededFuture();
    }
    // the lanes and offsets of the subscription live on its context: completions go back there
    return KafkaFutures.on(context, done);
  }

  private Future<Delivery> untilAcknowledged(ConsumerRecord<String, byte[]> record, EventEnvelope event,
                                             Supplier<Future<Delivery>> delivery, int attempt) {
    return attempt(delivery).recover(failure -> {
      if (closing.getAsBoolean()) {
        log(event, true).log("{} closing: {} left uncommitted after {} attempt(s), to be delivered again: {}", consumer,
            coordinates(record), attempt, failure.toString());
        return Future.failedFuture(new LeftForRedelivery("closing with " + coordinates(record) + " unacknowledged",
            failure));
      }
      long backoff = REDELIVERY.backoffAfter(attempt);
      // a long outage would repeat this for every record in hand: the first and every tenth attempt say it
      log(event, attempt == 1 || attempt % 10 == 0).log(
          "{} could not take {} (attempt {}), trying the same record again in {} ms: {}", consumer,
          coordinates(record), attempt, backoff, failure.toString());
      return vertx.timer(backoff, TimeUnit.MILLISECONDS)
          .compose(v -> untilAcknowledged(record, event, delivery, attempt + 1));
    });
  }

  private static Future<Delivery> attempt(Supplier<Future<Delivery>> delivery) {
    try {
      return delivery.get();
    } catch (RuntimeException thrown) {
      return Future.failedFuture(thrown);
    }
  }

  /** A log line carrying the event's ids, when the record is an event. */
  private static LoggingEventBuilder log(EventEnvelope event, boolean warn) {
    LoggingEventBuilder line = warn ? LOG.atWarn() : LOG.atDebug();
    if (event != null) {
      line = line.addKeyValue("eventId", event.id()).addKeyValue("correlationId", event.correlationid());
    }
    return line;
  }

  static String coordinates(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
