package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.delivery.DeadLetterForwarder;
import dev.switchboard.runtime.transport.delivery.HandOver;
import dev.switchboard.runtime.transport.delivery.Incoming;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Takes one consumed record to the consumer's {@link Inbound} and sees it through: skipped when
 * the consumer does not subscribe to its type, delivered when it is a CloudEvent, dead-lettered as
 * text when it is not, and its dead letter copied to the consumer's dead-letter topic.
 *
 * <p>When the inbound fails (nothing durable happened: the store is down), the runtime's
 * {@link HandOver} tries the same record again, in place, with capped exponential backoff, holding
 * its subject's lane so nothing of that order overtakes it: skipping it would lose it. Only a closing
 * subscription stops retrying; the record then stays uncommitted and is delivered again after a
 * restart or to another node.
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
    LeftForRedelivery(String message) {
      super(message, null, false, false);
    }
  }

  private final Context context;
  private final String consumer;
  private final Set<String> types;
  private final Inbound inbound;
  private final DeadLetterForwarder deadLetters;
  private final BooleanSupplier closing;
  private final HandOver handOver;

  RecordDelivery(Vertx vertx, Context context, String consumer, Set<String> types, Inbound inbound,
                 DeadLetterForwarder deadLetters, BooleanSupplier closing) {
    this.context = context;
    this.consumer = consumer;
    this.types = Set.copyOf(types);
    this.inbound = inbound;
    this.deadLetters = deadLetters;
    this.closing = closing;
    this.handOver = new HandOver(vertx, context, consumer, REDELIVERY, closing);
  }

  /**
   * @return succeeds once the record is done with (the offset may be committed), on the consumer's
   *     context; fails only when the subscription closed before that
   */
  Future<Void> handle(ConsumerRecord<String, byte[]> record) {
    if (closing.getAsBoolean()) {
      // not even started: a record behind one that was given up must not overtake it
      return Future.failedFuture(new LeftForRedelivery("closing before " + coordinates(record)));
    }
    Incoming incoming = IncomingRecord.classify(record.value(), record.topic(), types);
    Future<Void> done;
    if (incoming instanceof Incoming.Deliver deliver) {
      done = untilAcknowledged(record, Optional.of(deliver.event().envelope()), () -> inbound.deliver(deliver.event()));
    } else if (incoming instanceof Incoming.Refuse refuse) {
      LOG.warn("{} refused the record at {}: {}", consumer, coordinates(record), refuse.reason());
      done = untilAcknowledged(record, Optional.of(refuse.event().envelope()),
          () -> inbound.refuse(refuse.event(), refuse.reason()));
    } else if (incoming instanceof Incoming.Unreadable unreadable) {
      // the consumer's runner logs the dead letter; this says where the record lies
      LOG.info("{} received a record that is not a CloudEvent at {}: {}", consumer, coordinates(record),
          unreadable.reason());
      done = untilAcknowledged(record, Optional.empty(), () -> inbound.unreadable(unreadable.payload(),
          unreadable.reason()));
    } else {
      done = Future.succeededFuture();
    }
    // the lanes and offsets of the subscription live on its context: completions go back there
    return KafkaFutures.on(context, done);
  }

  /** Ends the backoffs being waited out, for a subscription that is closing: their records are left at once. */
  void cutShort() {
    handOver.cutShort();
  }

  /** A record stays where it is until its consumer is done with it: Kafka never takes it back. */
  private Future<Void> untilAcknowledged(ConsumerRecord<String, byte[]> record, Optional<EventEnvelope> event,
                                         Supplier<Future<Delivery>> delivery) {
    return handOver.handOver(coordinates(record), event, () -> true, delivery).compose(outcome ->
        outcome instanceof HandOver.Outcome.Done done ? deadLetters.forward(done.delivery())
            : Future.failedFuture(new LeftForRedelivery("closing with " + coordinates(record) + " unacknowledged")));
  }

  static String coordinates(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
