package dev.switchboard.runtime.transport.delivery;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.transport.Delivery;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Hands one message from a broker to its consumer until something durable happened: the consumer's
 * future is the acknowledgement, and it fails only when nothing could be recorded (the store is
 * down). Then the same message is handed over again, in place (its subject's lane stays held, so the
 * order of the subject holds), after a wait by the {@link RetryPolicy} that doubles up to a cap:
 * never skipped, and never bounced through the broker in a hot loop.
 *
 * <p>It stops trying when the subscription closes (the wire then leaves the message to be delivered
 * again: given back to its queue, its offset left uncommitted) or when the broker no longer holds the
 * message for this consumer (a RabbitMQ link that is lost: the broker has taken it back already).
 *
 * <p>One per subscription, confined to the subscription's context: every outcome comes back there.
 */
public final class HandOver {

  private static final Logger LOG = LoggerFactory.getLogger(HandOver.class);

  /** How a message's hand-over ended. */
  public sealed interface Outcome {
    /** Handled, a duplicate, or dead-lettered: acknowledge it. */
    record Done(Delivery delivery) implements Outcome {
    }

    /** Not done and the subscription is closing: leave it to be delivered again. */
    record GiveBack() implements Outcome {
    }

    /** Not done and the broker no longer holds it for us: it has it back already. */
    record Abandoned() implements Outcome {
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final String consumer;
  private final RetryPolicy backoff;
  private final BooleanSupplier closing;
  /** The backoffs being waited out, by timer id: cut short when the subscription closes. */
  private final Map<Long, Promise<Void>> pauses = new HashMap<>();
  /** Whether the last hand-over failed: logged once when the trouble starts and once when it ends. */
  private boolean failing;

  /**
   * @param context the subscription's
   * @param closing whether the subscription is closing
   */
  public HandOver(Vertx vertx, Context context, String consumer, RetryPolicy backoff, BooleanSupplier closing) {
    this.vertx = vertx;
    this.context = context;
    this.consumer = consumer;
    this.backoff = backoff;
    this.closing = closing;
  }

  /** Ends the backoffs being waited out, for a subscription that is closing: their messages go back at once. */
  public void cutShort() {
    pauses.keySet().forEach(vertx::cancelTimer);
    List<Promise<Void>> waiting = List.copyOf(pauses.values());
    pauses.clear();
    waiting.forEach(Promise::tryComplete);
  }

  /**
   * Hands over until something durable happened, the subscription closes, or the broker no longer
   * holds the message. Never fails. Call on the subscription's context.
   *
   * @param where    the message, for the logs, as the wire names it (its topic, partition and offset, say)
   * @param event    the event it carries, for the logs; empty for a message that is not a CloudEvent
   * @param held     whether the broker still holds the message for this consumer
   * @param delivery one attempt at handing it to the consumer
   */
  public Future<Outcome> handOver(String where, Optional<EventEnvelope> event, BooleanSupplier held,
                                  Supplier<Future<Delivery>> delivery) {
    String what = event.map(envelope -> envelope.type() + " " + envelope.id() + " (" + where + ")")
        .orElse("an unreadable " + where);
    return attempt(what, event, held, delivery, 1);
  }

  private Future<Outcome> attempt(String what, Optional<EventEnvelope> event, BooleanSupplier held,
                                  Supplier<Future<Delivery>> delivery, int attempt) {
    if (!held.getAsBoolean()) {
      return Future.succeededFuture(new Outcome.Abandoned());
    }
    return call(delivery).transform(done -> {
      if (done.succeeded()) {
        if (failing) {
          failing = false;
          LOG.info("{}: deliveries are recorded again", consumer);
        }
        return Future.succeededFuture(new Outcome.Done(done.result()));
      }
      if (closing.getAsBoolean()) {
        withEvent(LOG.atInfo(), event).log("{}: {} not recorded after {} attempt(s) ({}) and closing: it is left to be"
            + " delivered again", consumer, what, attempt, done.cause().toString());
        return Future.succeededFuture(new Outcome.GiveBack());
      }
      if (!held.getAsBoolean()) {
        return Future.succeededFuture(new Outcome.Abandoned());
      }
      long wait = backoff.backoffAfter(attempt);
      // once when the trouble starts (an outage of the store fails every message in hand), then quietly
      LoggingEventBuilder line = withEvent(failing ? LOG.atDebug() : LOG.atWarn(), event);
      if (!(done.cause() instanceof StoreUnavailable)) {
        line.setCause(done.cause()); // not an outage but a defect somewhere: its stack trace is what finds it
      }
      failing = true;
      line.log("{}: could not record {} (attempt {}: {}); handing it over again in place in {} ms, backing off up to"
          + " {} ms", consumer, what, attempt, done.cause().toString(), wait, backoff.maxBackoffMillis());
      return pause(wait).compose(v -> attempt(what, event, held, delivery, attempt + 1));
    });
  }

  private static LoggingEventBuilder withEvent(LoggingEventBuilder line, Optional<EventEnvelope> event) {
    event.ifPresent(envelope -> line.addKeyValue("eventId", envelope.id())
        .addKeyValue("correlationId", envelope.correlationid()));
    return line;
  }

  /** Waits, unless {@link #cutShort()} comes first. */
  private Future<Void> pause(long millis) {
    Promise<Void> over = Promise.promise();
    long timer = vertx.setTimer(millis, id -> {
      pauses.remove(id);
      over.tryComplete();
    });
    pauses.put(timer, over);
    return over.future();
  }

  /** The consumer's future may complete on any thread: its outcome comes back to the subscription's context. */
  private Future<Delivery> call(Supplier<Future<Delivery>> delivery) {
    Future<Delivery> future;
    try {
      future = delivery.get();
    } catch (RuntimeException thrown) {
      future = Future.failedFuture(thrown);
    }
    if (future == null) {
      future = Future.failedFuture(new IllegalStateException("the consumer returned no future"));
    }
    Promise<Delivery> here = Promise.promise();
    future.onComplete(done -> context.runOnContext(v -> here.handle(done)));
    return here.future();
  }
}
