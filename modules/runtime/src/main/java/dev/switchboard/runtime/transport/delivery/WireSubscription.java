package dev.switchboard.runtime.transport.delivery;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.SubjectLanes;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.Crossing;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import dev.switchboard.runtime.transport.wire.Source;
import dev.switchboard.runtime.transport.wire.Wire;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One consumer's subscription over a {@link Wire}: the delivery engine every broker shares. Each
 * message that arrives is classified ({@link Incoming}), handed to the consumer in its order's lane
 * (one at a time per order, side by side across orders), handed over again in place while the
 * consumer can record nothing ({@link HandOver}), its dead letter copied to the broker, and only then
 * acknowledged.
 *
 * <p><b>Back-pressure.</b> At most {@link DeliverySettings#inFlight()} messages are in hand. Beyond
 * that, arrivals wait here in order and the source is paused until there is room, so that what is
 * beyond waits on the broker, not in memory.
 *
 * <p><b>Order.</b> A lane is the event's subject (the order id). A message that cannot be read has a
 * lane of its own: it holds up nothing. While closing, no message is started: one behind a message
 * that was released must not overtake it.
 *
 * <p>State is confined to the context the subscription was opened on; the wire may hand messages over
 * on any thread.
 */
public final class WireSubscription implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(WireSubscription.class);

  private final Vertx vertx;
  private final Context context;
  private final String consumer;
  private final Set<String> types;
  private final Inbound inbound;
  private final Wire wire;
  private final DeliverySettings settings;
  private final DeadLetterForwarder deadLetters;
  private final SubjectLanes lanes;
  private final HandOver handOver;
  private final Consumer<WireSubscription> onClosed;
  /** Arrived while the lanes were full, oldest first. */
  private final Deque<Arrival> waiting = new ArrayDeque<>();
  /**
   * Handed to the lanes and not yet settled, oldest first: what a close that cannot wait for them
   * gives back to the broker (RabbitMQ keeps a cancelled consumer's unacknowledged messages with its
   * channel, SQS until their visibility runs out).
   */
  private final Set<Arrival> inHand = new LinkedHashSet<>();
  /** Handed over on another thread and not yet taken on the context, oldest first. */
  private final Crossing<Arrival> crossing;
  private Source source;
  private boolean paused;
  private volatile boolean closing;
  private long unreadableCount;
  private Future<Void> closed;

  private WireSubscription(Vertx vertx, Context context, String consumer, Set<String> types, Inbound inbound,
                           Wire wire, DeadLetterForwarder deadLetters, Consumer<WireSubscription> onClosed) {
    this.vertx = vertx;
    this.context = context;
    this.consumer = consumer;
    this.types = Set.copyOf(types);
    this.inbound = inbound;
    this.wire = wire;
    this.settings = wire.delivery();
    this.deadLetters = deadLetters;
    this.onClosed = onClosed;
    this.lanes = new SubjectLanes(settings.inFlight());
    this.crossing = new Crossing<>(context, this::arrived);
    this.handOver = new HandOver(vertx, context, consumer, settings.redelivery(), () -> closing);
    lanes.onRoom(this::admitWaiting);
  }

  /**
   * Opens the consumer's source on the wire, on the caller's context (where the subscription's state
   * then lives). Fails as the wire's {@link Wire#open} does.
   *
   * @param onClosed told once the subscription is closed
   */
  static Future<WireSubscription> open(Vertx vertx, String consumer, Set<String> types, Inbound inbound, Wire wire,
                                       DeadLetterForwarder deadLetters, Consumer<WireSubscription> onClosed) {
    Context context = vertx.getOrCreateContext();
    WireSubscription subscription = new WireSubscription(vertx, context, consumer, types, inbound, wire, deadLetters,
        onClosed);
    Future<Source> opened;
    try {
      opened = wire.open(consumer, types, subscription::handedOver);
    } catch (RuntimeException invalid) {
      opened = Future.failedFuture(invalid);
    }
    Promise<WireSubscription> here = Promise.promise();
    opened.onComplete(outcome -> context.runOnContext(v -> {
      if (outcome.failed()) {
        here.fail(outcome.cause());
        return;
      }
      subscription.source = outcome.result();
      if (subscription.paused) {
        subscription.source.pause(); // messages came faster than the source was handed back
      }
      here.complete(subscription);
    }));
    return here.future();
  }

  @Override
  public String consumer() {
    return consumer;
  }

  /** The event types the consumer reads. */
  Set<String> types() {
    return types;
  }

  // ------------------------------------------------------------------ arrivals and back-pressure

  /**
   * Takes a message from the wire, on whatever thread the wire hands it over. Messages handed over
   * elsewhere cross to the context in one task per burst rather than one each (a broker's client
   * hands them over one by one), so that a burst is taken together and decided in one batch.
   */
  private void handedOver(Arrival arrival) {
    if (Vertx.currentContext() == context && crossing.isEmpty()) {
      arrived(arrival);
    } else {
      crossing.handOver(arrival);
    }
  }

  private void arrived(Arrival arrival) {
    if (closing) {
      arrival.release(); // arrived as the source was stopping
      return;
    }
    if (!waiting.isEmpty() || !lanes.hasRoom()) {
      waiting.addLast(arrival);
      pause();
      return;
    }
    admit(arrival);
  }

  private void admitWaiting() {
    while (!waiting.isEmpty() && lanes.hasRoom()) {
      Arrival next = waiting.removeFirst();
      if (closing) {
        next.release();
      } else {
        admit(next);
      }
    }
    if (waiting.isEmpty() && paused && !closing) {
      paused = false;
      if (source != null) {
        source.resume();
      }
    }
  }

  private void pause() {
    if (!paused) {
      paused = true;
      if (source != null) {
        source.pause();
      }
    }
  }

  private void admit(Arrival arrival) {
    if (!arrival.held()) {
      return; // the broker has it back already (a lost link, a revoked partition) and delivers it again
    }
    Incoming incoming = Incoming.classify(arrival.body(), arrival.channelModule(), arrival.typeHeader(), types,
        wire.wording());
    if (incoming instanceof Incoming.Skip skip) {
      // its channel carries other types of the module, for other consumers
      LOG.debug("{} skips {} ({} is not among its types)", consumer, arrival.where(), skip.type());
      arrival.acknowledge();
    } else if (incoming instanceof Incoming.Unreadable unreadable) {
      // the consumer's runner logs the dead letter; this says where the message lies
      LOG.info("{} received a message that is not a CloudEvent at {}: {}", consumer, arrival.where(),
          unreadable.reason());
      deliver("(unreadable " + (++unreadableCount) + ")", arrival, Optional.empty(),
          () -> inbound.unreadable(unreadable.payload(), unreadable.reason()));
    } else if (incoming instanceof Incoming.Refuse refuse) {
      LOG.warn("{} refused {}: {}", consumer, arrival.where(), refuse.reason());
      EventEnvelope event = refuse.event().envelope();
      deliver(event.subject(), arrival, Optional.of(event), () -> inbound.refuse(refuse.event(), refuse.reason()));
    } else if (incoming instanceof Incoming.Deliver deliver) {
      EventEnvelope event = deliver.event().envelope();
      deliver(event.subject(), arrival, Optional.of(event), () -> inbound.deliver(deliver.event()));
    }
  }

  private void deliver(String lane, Arrival arrival, Optional<EventEnvelope> event,
                       Supplier<Future<Delivery>> delivery) {
    inHand.add(arrival);
    lanes.submit(lane, () -> {
      if (closing) {
        // not even started: a message behind one that was released must not overtake it
        return settle(arrival, arrival::release);
      }
      return handOver.handOver(arrival.where(), event, arrival::held, delivery)
          .compose(outcome -> settle(arrival, outcome));
    });
  }

  /** Acknowledges (after copying a dead letter to the broker), releases, or leaves it to the broker. */
  private Future<Void> settle(Arrival arrival, HandOver.Outcome outcome) {
    if (outcome instanceof HandOver.Outcome.Done done) {
      return deadLetters.forward(done.delivery()).compose(v -> settle(arrival, () -> arrival.held()
          ? arrival.acknowledge()
          : Future.<Void>succeededFuture())); // held no more: the broker delivers it again, the inbox skips it
    }
    if (outcome instanceof HandOver.Outcome.GiveBack) {
      return settle(arrival, arrival::release);
    }
    return settle(arrival, Future::succeededFuture);
  }

  /** Takes the arrival out of hand and settles it as {@code how} says, on the context. */
  private Future<Void> settle(Arrival arrival, Supplier<Future<Void>> how) {
    return onContext(() -> {
      inHand.remove(arrival);
      return how.get();
    });
  }

  // ------------------------------------------------------------------ closing

  /**
   * Stops the source, releases the messages that were waiting for a lane, lets the ones in hand
   * finish (for at most the drain timeout) and releases those that did not, then closes the source.
   * Never fails.
   */
  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    try {
      context.runOnContext(v -> closeOnContext().onComplete(done));
    } catch (RejectedExecutionException vertxClosed) {
      done.fail(new IllegalStateException(consumer + " cannot be closed: its Vert.x instance is closed", vertxClosed));
    }
    return done.future();
  }

  /** The longest {@link #close()} takes: stopping, draining, closing the source; a bound for whoever waits on it. */
  public long closeTimeoutMillis() {
    return settings.drainTimeoutMillis() + 2 * WireTransport.SOURCE_CALL_TIMEOUT_MILLIS;
  }

  private Future<Void> closeOnContext() {
    if (closed != null) {
      return closed;
    }
    closing = true;
    handOver.cutShort();
    closed = bounded(source == null ? Future.succeededFuture() : source.stop(), "stop taking messages")
        .compose(v -> onContext(() -> {
          waiting.forEach(Arrival::release);
          waiting.clear();
          return lanes.drained().timeout(settings.drainTimeoutMillis(), TimeUnit.MILLISECONDS)
              .recover(timeout -> {
                LOG.warn("{}: closing with {} message(s) still in hand after {} ms; the broker delivers them again",
                    consumer, lanes.admitted(), settings.drainTimeoutMillis());
                return Future.succeededFuture();
              });
        }))
        .compose(v -> bounded(releaseInHand(), "give back what it did not settle"))
        .compose(v -> bounded(source == null ? Future.succeededFuture() : source.close(), "close its source"))
        .onComplete(v -> {
          LOG.info("{}: subscription closed", consumer);
          onClosed.accept(this);
        });
    return closed;
  }

  /**
   * Gives back, in the order they came, the messages still in hand after the drain: each goes back to
   * its place, for whoever reads next. Their consumers may still finish; settling them then does nothing.
   */
  private Future<Void> releaseInHand() {
    List<Arrival> left = List.copyOf(inHand);
    inHand.clear();
    if (!left.isEmpty()) {
      LOG.info("{}: gives back {} message(s) it did not settle", consumer, left.size());
    }
    return Future.join(left.stream().map(Arrival::release).toList()).mapEmpty();
  }

  /** A call on the source that must not hold up a close for ever: its failure is logged, never passed on. */
  private Future<Void> bounded(Future<Void> call, String what) {
    Promise<Void> here = Promise.promise();
    call.timeout(WireTransport.SOURCE_CALL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).onComplete(outcome -> {
      if (outcome.failed()) {
        LOG.warn("{} did not {} cleanly: {}", consumer, what, outcome.cause().toString());
      }
      context.runOnContext(x -> here.complete());
    });
    return here.future();
  }

  /** Runs on the subscription's context and answers there, whatever thread the answer comes on. */
  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> here = Promise.promise();
    Runnable run = () -> {
      Future<T> future;
      try {
        future = action.get();
      } catch (RuntimeException thrown) {
        future = Future.failedFuture(thrown);
      }
      future.onComplete(outcome -> {
        if (Vertx.currentContext() == context) {
          here.handle(outcome);
        } else {
          context.runOnContext(v -> here.handle(outcome));
        }
      });
    };
    if (Vertx.currentContext() == context) {
      run.run();
    } else {
      context.runOnContext(v -> run.run());
    }
    return here.future();
  }

  // ------------------------------------------------------------------ observed by tests

  /** Messages in hand right now. */
  int inHand() {
    return lanes.admitted();
  }

  /** Messages waiting for room in the lanes. */
  int waitingMessages() {
    return waiting.size();
  }
}
