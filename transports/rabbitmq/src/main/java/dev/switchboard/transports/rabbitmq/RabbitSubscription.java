package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.SubjectLanes;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.delivery.DeadLetterForwarder;
import dev.switchboard.runtime.transport.delivery.HandOver;
import dev.switchboard.runtime.transport.delivery.Incoming;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.rabbitmq.QueueOptions;
import io.vertx.rabbitmq.RabbitMQConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One consumer's subscription: consumes its queue {@code switchboard.<consumer>} with manual
 * acknowledgements, hands each message to the consumer in its subject's lane (one at a time per order,
 * side by side across orders) and acknowledges it once the consumer has recorded it.
 *
 * <p><b>Back-pressure.</b> The broker sends at most {@code prefetch} unacknowledged messages (QoS),
 * and the lanes admit as many: what is beyond waits in the broker's queue, not in our memory. Should
 * messages arrive while the lanes are full all the same, they wait in arrival order and the client's
 * consumer is paused until there is room (its internal queue, bounded to {@code prefetch} too, drops
 * silently what does not fit: QoS keeps it from ever filling).
 *
 * <p><b>Reconnects.</b> Its queue, bindings and consumer are declared again on every opening of the
 * consuming connection. Messages of a lost link are not acknowledged (their tags mean nothing on the
 * next one): the broker delivers them again, and the consumer's inbox skips what was handled.
 *
 * <p>State is confined to the context that subscribed; the client's consumer lives on the
 * connection's context.
 */
final class RabbitSubscription implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitSubscription.class);

  /** The client's consumer on one link. */
  private record Consuming(Link link, RabbitMQConsumer consumer) {
  }

  private final Vertx vertx;
  private final Context context;
  private final String consumer;
  private final Set<String> types;
  private final Inbound inbound;
  private final RabbitConnection connection;
  private final RabbitMqSettings settings;
  private final DeadLetterForwarder deadLetters;
  private final Consumer<RabbitSubscription> onClosed;
  private final SubjectLanes lanes;
  private final HandOver handOver;
  private final RabbitConnection.OnOpen onOpen = this::consumeOn;
  /** Arrived while the lanes were full, oldest first. */
  private final Deque<Arrival> waiting = new ArrayDeque<>();
  /** Set on the connection's context, read on ours. */
  private volatile Consuming consuming;
  /** Read on the connection's context too, to stop a consumer that starts as the subscription closes. */
  private volatile boolean closing;
  private long unreadableCount;
  private Future<Void> closed;

  RabbitSubscription(Vertx vertx, Context context, String consumer, Set<String> types, Inbound inbound,
                     RabbitConnection connection, RabbitMqSettings settings, DeadLetterForwarder deadLetters,
                     Consumer<RabbitSubscription> onClosed) {
    this.vertx = vertx;
    this.context = context;
    this.consumer = consumer;
    this.types = Set.copyOf(types);
    this.inbound = inbound;
    this.connection = connection;
    this.settings = settings;
    this.deadLetters = deadLetters;
    this.onClosed = onClosed;
    this.lanes = new SubjectLanes(settings.prefetch());
    this.handOver = new HandOver(vertx, context, consumer, RetryPolicy.withoutEnd(settings.retryInitialBackoffMillis(),
        settings.retryMaxBackoffMillis()), () -> closing);
    lanes.onRoom(this::admitWaiting);
  }

  @Override
  public String consumer() {
    return consumer;
  }

  /** Declares the queue and starts consuming, now and on every reconnect; completes once first consuming. */
  Future<Void> start() {
    return connection.attach(onOpen);
  }

  // ------------------------------------------------------------------ on the connection's context

  private Future<Void> consumeOn(Link link) {
    QueueOptions options = new QueueOptions().setAutoAck(false).setMaxInternalQueueSize(settings.prefetch());
    return Declarations.consumer(link.client(), consumer, types)
        .compose(v -> link.client().basicConsumer(Names.queueOf(consumer), options))
        .map(started -> {
          // set before the client hands over the first message (it does so on a later turn of this context)
          started.handler(message -> {
            Arrival arrival = Arrival.of(link, message);
            context.runOnContext(v -> arrived(arrival));
          });
          started.endHandler(v -> context.runOnContext(x -> cancelledByBroker(link)));
          started.exceptionHandler(failure -> LOG.warn("{}: the consumer of {} failed: {}", consumer,
              Names.queueOf(consumer), failure.toString()));
          Consuming now = new Consuming(link, started);
          consuming = now;
          if (closing) {
            cancel(now); // the subscription closed while this consumer was starting
          }
          LOG.info("{} consumes {} on {} (prefetch {})", consumer, Names.queueOf(consumer), link, settings.prefetch());
          return null;
        });
  }

  /**
   * Cancels a consumer on its link (a blocking call of the AMQP client, hence off the event loop),
   * then lets what its internal queue holds through, to be given back to the broker.
   */
  private Future<Void> cancel(Consuming target) {
    return connection.callOn(target.link(), client -> vertx.<Void>executeBlocking(() -> {
      Future<Void> cancelled = target.consumer().cancel();
      if (cancelled.failed()) {
        throw new IllegalStateException("cancelling failed", cancelled.cause());
      }
      return null;
    }).onComplete(done -> target.consumer().resume()));
  }

  // ------------------------------------------------------------------ on the subscription's context

  private void arrived(Arrival arrival) {
    if (!connection.isCurrent(arrival.link())) {
      return; // its link is gone: the broker delivers it again on the next one
    }
    if (closing) {
      giveBack(arrival); // arrived as the consumer was being cancelled
      return;
    }
    if (!waiting.isEmpty() || !lanes.hasRoom()) {
      waiting.addLast(arrival);
      Consuming now = consuming;
      if (now != null) {
        now.consumer().pause();
      }
      return;
    }
    admit(arrival);
  }

  private void admitWaiting() {
    while (!waiting.isEmpty() && lanes.hasRoom()) {
      Arrival next = waiting.removeFirst();
      if (closing) {
        giveBack(next);
      } else if (connection.isCurrent(next.link())) {
        admit(next);
      }
    }
    Consuming now = consuming;
    if (waiting.isEmpty() && now != null) {
      now.consumer().resume();
    }
  }

  private void admit(Arrival arrival) {
    Incoming incoming = IncomingMessage.classify(arrival.body(), arrival.routingKey(), types);
    if (incoming instanceof Incoming.Skip skip) {
      // its queue is bound by module: other types of the module come along, for other consumers
      LOG.debug("{} skips {} ({} is not among its types)", consumer, arrival, skip.type());
      acknowledge(arrival);
    } else if (incoming instanceof Incoming.Unreadable unreadable) {
      // a lane of its own: it has no subject, and holds up nothing
      String lane = "(unreadable " + (++unreadableCount) + ")";
      lanes.submit(lane, () -> handOver.handOver(arrival.toString(), Optional.empty(), held(arrival),
          () -> inbound.unreadable(unreadable.payload(), unreadable.reason())).compose(outcome -> settle(arrival, outcome)));
    } else if (incoming instanceof Incoming.Refuse refuse) {
      LOG.warn("{} refused {}: {}", consumer, arrival, refuse.reason());
      StoredEvent event = refuse.event();
      lanes.submit(event.envelope().subject(), () -> handOver.handOver(arrival.toString(), Optional.of(event.envelope()),
          held(arrival), () -> inbound.refuse(event, refuse.reason())).compose(outcome -> settle(arrival, outcome)));
    } else if (incoming instanceof Incoming.Deliver deliver) {
      StoredEvent event = deliver.event();
      lanes.submit(event.envelope().subject(), () -> handOver.handOver(arrival.toString(), Optional.of(event.envelope()),
          held(arrival), () -> inbound.deliver(event)).compose(outcome -> settle(arrival, outcome)));
    }
  }

  /** Whether the message's link is still the connection's current one: a lost link's messages the broker has back. */
  private BooleanSupplier held(Arrival arrival) {
    return () -> connection.isCurrent(arrival.link());
  }

  /** Acknowledges (after copying a dead letter to the dead-letter queue), gives back, or leaves it. */
  private Future<Void> settle(Arrival arrival, HandOver.Outcome outcome) {
    if (outcome instanceof HandOver.Outcome.Done done) {
      Delivery delivery = done.delivery();
      return deadLetters.forward(delivery).compose(v -> acknowledge(arrival));
    }
    if (outcome instanceof HandOver.Outcome.GiveBack) {
      return giveBack(arrival);
    }
    return Future.succeededFuture();
  }

  /** Never fails: an acknowledgement that is lost makes the broker deliver the message again, which is harmless. */
  private Future<Void> acknowledge(Arrival arrival) {
    return connection.callOn(arrival.link(), client -> client.basicAck(arrival.deliveryTag(), false))
        .recover(failure -> {
          LOG.debug("{}: {} not acknowledged, it will come again: {}", consumer, arrival, failure.toString());
          return Future.succeededFuture();
        });
  }

  /** Puts the message back in the queue, for whoever consumes it next. Never fails. */
  private Future<Void> giveBack(Arrival arrival) {
    return connection.callOn(arrival.link(), client -> client.basicNack(arrival.deliveryTag(), false, true))
        .recover(failure -> {
          LOG.debug("{}: {} not given back (its link is gone, so the broker has it back): {}", consumer, arrival,
              failure.toString());
          return Future.succeededFuture();
        });
  }

  private void cancelledByBroker(Link link) {
    if (!closing && connection.isCurrent(link)) {
      // its queue was deleted, say: reconnecting declares it again and consumes it anew
      connection.reset(link, "the broker cancelled the consumer of " + Names.queueOf(consumer));
    }
  }

  /**
   * Stops taking messages (cancels the consumer; what arrives after is given back), lets the ones in
   * hand finish and be acknowledged, for at most {@code drainTimeoutMillis}, and gives back the ones
   * that were waiting for a lane.
   */
  @Override
  public Future<Void> close() {
    return Contexts.on(vertx, context, () -> {
      if (closed != null) {
        return closed;
      }
      closing = true;
      handOver.cutShort();
      closed = connection.detach(onOpen)
          .transform(v -> {
            Consuming now = consuming;
            return now == null ? Future.<Void>succeededFuture() : cancel(now);
          })
          .transform(v -> {
            waiting.forEach(this::giveBack);
            waiting.clear();
            return lanes.drained().timeout(settings.drainTimeoutMillis(), TimeUnit.MILLISECONDS);
          })
          .transform(drained -> {
            if (drained.failed()) {
              LOG.warn("{}: closed with {} message(s) still in hand after {} ms; the broker delivers them again",
                  consumer, lanes.admitted(), settings.drainTimeoutMillis());
            } else {
              LOG.info("{}: subscription closed", consumer);
            }
            onClosed.accept(this);
            return Future.<Void>succeededFuture();
          });
      return closed;
    });
  }
}
