package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.Source;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.rabbitmq.QueueOptions;
import io.vertx.rabbitmq.RabbitMQConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * One consumer's queue {@code switchboard.<consumer>}, consumed on the consuming connection with
 * manual acknowledgements. The queue, its bindings and the client's consumer are declared again on
 * every opening of the connection; the connection's QoS (the in-flight bound) keeps the broker from
 * sending more than that many unacknowledged messages, so the client's internal queue, bounded to as
 * many (it drops silently what does not fit), never fills.
 *
 * <p>The client's consumer lives on the connection's context; the runtime calls from the consumer's.
 */
final class RabbitSource implements Source {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitSource.class);

  /** The client's consumer on one link. */
  private record Consuming(Link link, RabbitMQConsumer consumer) {
  }

  private final Vertx vertx;
  private final String consumer;
  private final String queue;
  private final Set<String> types;
  private final RabbitConnection connection;
  private final int inFlight;
  private final Handler<Arrival> arrivals;
  private final RabbitConnection.OnOpen onOpen = this::consumeOn;
  /** Set on the connection's context, read on the consumer's. */
  private volatile Consuming consuming;
  private volatile boolean paused;
  /** Read on the connection's context too, to cancel a consumer that starts as the source stops. */
  private volatile boolean stopped;
  private Future<Void> stopping;
  private Future<Void> closing;

  /** @param inFlight the connection's QoS, which bounds the client's internal queue too */
  RabbitSource(Vertx vertx, String consumer, Set<String> types, RabbitConnection connection, int inFlight,
               Handler<Arrival> arrivals) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.queue = Names.queueOf(consumer);
    this.types = Set.copyOf(types);
    this.connection = connection;
    this.inFlight = inFlight;
    this.arrivals = arrivals;
  }

  /** Declares the queue and starts consuming, now and on every reconnect; completes once first consuming. */
  Future<Void> start() {
    return connection.attach(onOpen);
  }

  @Override
  public void pause() {
    paused = true;
    Consuming now = consuming;
    if (now != null) {
      now.consumer().pause();
    }
  }

  @Override
  public void resume() {
    paused = false;
    Consuming now = consuming;
    if (now != null) {
      now.consumer().resume();
    }
  }

  /** Stops declaring the consumer on reconnects and cancels the current one. */
  @Override
  public synchronized Future<Void> stop() {
    if (stopping == null) {
      stopped = true;
      stopping = connection.detach(onOpen).compose(v -> {
        Consuming now = consuming;
        return now == null ? Future.<Void>succeededFuture() : cancel(now);
      });
    }
    return stopping;
  }

  /**
   * Stops, if not yet. What it handed out and was not settled the runtime has given back: a cancelled
   * consumer's unacknowledged messages would stay with the channel, which other consumers share, until
   * the connection closes. Never fails.
   */
  @Override
  public synchronized Future<Void> close() {
    if (closing == null) {
      closing = stop()
          .recover(failure -> {
            // whoever called stop() was told already
            LOG.debug("{}: the consumer of {} was not cancelled cleanly: {}", consumer, queue, failure.toString());
            return Future.<Void>succeededFuture();
          })
          .onComplete(v -> LOG.info("{}: stopped consuming {}", consumer, queue));
    }
    return closing;
  }

  // ------------------------------------------------------------------ on the connection's context

  private Future<Void> consumeOn(Link link) {
    QueueOptions options = new QueueOptions().setAutoAck(false).setMaxInternalQueueSize(inFlight);
    return Declarations.consumer(link.client(), consumer, types)
        .compose(v -> link.client().basicConsumer(queue, options))
        .map(started -> {
          // set before the client hands over the first message (it does so on a later turn of this context)
          started.handler(message -> arrived(RabbitArrival.of(connection, link, message, queue)));
          started.endHandler(v -> cancelledByBroker(link));
          started.exceptionHandler(failure -> LOG.warn("{}: the consumer of {} failed: {}", consumer, queue,
              failure.toString()));
          Consuming now = new Consuming(link, started);
          consuming = now;
          if (stopped) {
            cancel(now); // the source stopped while this consumer was starting
          } else if (paused) {
            started.pause();
          }
          LOG.info("{} consumes {} on {} (prefetch {})", consumer, queue, link, inFlight);
          return null;
        });
  }

  /** What the client's internal queue lets out after the source stopped, the runtime gives back. */
  private void arrived(RabbitArrival arrival) {
    if (connection.isCurrent(arrival.link())) {
      arrivals.handle(arrival);
    } // else its link is gone: the broker delivers it again on the next one
  }

  private void cancelledByBroker(Link link) {
    if (!stopped && connection.isCurrent(link)) {
      // its queue was deleted, say: reconnecting declares it again and consumes it anew
      connection.reset(link, "the broker cancelled the consumer of " + queue);
    }
  }

  /**
   * Cancels a consumer on its link (a blocking call of the AMQP client, hence off the event loop),
   * then lets what its internal queue holds through, to be given back to the broker.
   */
  private Future<Void> cancel(Consuming target) {
    if (!connection.isCurrent(target.link())) {
      return Future.succeededFuture(); // gone with its link
    }
    return connection.callOn(target.link(), client -> vertx.<Void>executeBlocking(() -> {
          Future<Void> cancelled = target.consumer().cancel();
          if (cancelled.failed()) {
            throw new IllegalStateException("cancelling failed", cancelled.cause());
          }
          return null;
        }).onComplete(done -> target.consumer().resume()))
        .recover(failure -> connection.isCurrent(target.link()) ? Future.failedFuture(failure)
            : Future.succeededFuture()); // its link was lost meanwhile, and the consumer with it
  }
}
