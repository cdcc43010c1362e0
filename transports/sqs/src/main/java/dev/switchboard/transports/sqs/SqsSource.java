package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.Source;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One consumer's messages off its FIFO queue: long polls of at most ten messages, up to four at once,
 * never more in hand than {@code maxInFlight}; the visibility of every message in hand extended before it runs out;
 * acknowledged by deleting it (in batches of what is acknowledged together), released by making it
 * visible again at once. SQS itself holds back a message group's later messages while one of it is
 * in flight, so an order's events come in order across receivers and redeliveries.
 *
 * <p>Everything here runs on the source's own context, one thing at a time: the runtime's calls hop
 * onto it.
 */
final class SqsSource implements Source {

  private static final Logger LOG = LoggerFactory.getLogger(SqsSource.class);
  private static final int MAX_MESSAGES_PER_RECEIVE = 10;
  /** Receives on their way at once at most: one round trip would otherwise bound a consumer to ten messages. */
  private static final int MAX_CONCURRENT_RECEIVES = 4;

  private final Vertx vertx;
  private final Context context;
  private final SqsAsyncClient sqs;
  private final QueueProvisioner queues;
  private final SqsSettings settings;
  private final String consumer;
  private final Set<String> types;
  private final String queue;
  private final Handler<Arrival> arrivals;
  private final RetryPolicy pollRetry;
  private final long visibilityNanos;
  private final int maxReceives;
  private final Receipts receipts;
  /** Handed out, neither acknowledged nor released yet. */
  private final Set<SqsArrival> inHand = new LinkedHashSet<>();
  private final List<PendingDelete> deletes = new ArrayList<>();
  private final Promise<Void> pollsEnded = Promise.promise();
  private volatile String url;
  private boolean paused;
  private boolean stopped;
  /** A receive failed: none starts until the queue is made again or the backoff has passed. */
  private boolean backingOff;
  /** Receives on their way, and the messages they asked for together. */
  private int receiving;
  private int requested;
  private boolean deleteFlushQueued;
  private int failedPolls;
  private long keeperTimer = -1;

  private record PendingDelete(SqsArrival arrival, Promise<Void> done) {
  }

  SqsSource(Vertx vertx, Context context, SqsAsyncClient sqs, QueueProvisioner queues, SqsSettings settings,
            String consumer, Set<String> types, String url, Handler<Arrival> arrivals) {
    this.vertx = vertx;
    this.context = context;
    this.sqs = sqs;
    this.queues = queues;
    this.settings = settings;
    this.consumer = consumer;
    this.types = Set.copyOf(types);
    this.queue = QueueNames.queueOf(consumer);
    this.url = url;
    this.arrivals = arrivals;
    this.pollRetry = settings.delivery().redelivery();
    this.visibilityNanos = TimeUnit.SECONDS.toNanos(settings.visibilityTimeoutSeconds());
    this.receipts = new Receipts(vertx, context, sqs, settings, consumer, queue, this::url);
    // as many as it takes to fill the in-flight bound in one round trip, up to the cap
    this.maxReceives = Math.min(MAX_CONCURRENT_RECEIVES,
        (settings.delivery().inFlight() + MAX_MESSAGES_PER_RECEIVE - 1) / MAX_MESSAGES_PER_RECEIVE);
  }

  /** Starts polling, and keeping the messages in hand visible to this source alone. */
  SqsSource start() {
    context.runOnContext(v -> {
      long keepEvery = Math.max(250, TimeUnit.NANOSECONDS.toMillis(visibilityNanos) / 4);
      keeperTimer = vertx.setPeriodic(keepEvery, id -> keepInHand());
      poll();
    });
    return this;
  }

  /** The queue's URL now (it changes if the queue had to be made again). */
  String url() {
    return url;
  }

  /** Completes once the source is stopped and no receive is on its way any more. */
  Future<Void> pollsEnded() {
    return pollsEnded.future();
  }

  // ------------------------------------------------------------------ receiving

  /**
   * Starts receives while there is room: up to {@link #maxReceives} at once, each for no more than
   * the room left by what is in hand and what the others asked for, so that never more than
   * {@code maxInFlight} messages are in hand.
   */
  private void poll() {
    while (!stopped && !paused && !backingOff && receiving < maxReceives) {
      int room = settings.delivery().inFlight() - stillHeld() - requested;
      if (room <= 0) {
        return;
      }
      receive(Math.min(MAX_MESSAGES_PER_RECEIVE, room));
    }
  }

  private void receive(int wanted) {
    receiving++;
    requested += wanted;
    long askedAt = System.nanoTime();
    SqsCalls.call(context, () -> sqs.receiveMessage(request -> request.queueUrl(url)
            .maxNumberOfMessages(wanted)
            .waitTimeSeconds(settings.waitTimeSeconds())
            .visibilityTimeout(settings.visibilityTimeoutSeconds())
            .messageSystemAttributeNames(MessageSystemAttributeName.MESSAGE_GROUP_ID,
                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
            .overrideConfiguration(override -> override.apiCallTimeout(Duration.ofSeconds(settings.waitTimeSeconds())
                .plusMillis(settings.requestTimeoutMillis())))))
        .onComplete(outcome -> {
          receiving--;
          requested -= wanted;
          if (outcome.succeeded()) {
            received(outcome.result(), askedAt);
          } else {
            pollFailed(outcome.cause());
          }
          if (stopped && receiving == 0) {
            pollsEnded.tryComplete();
          }
          poll();
        });
  }

  private void received(ReceiveMessageResponse response, long askedAt) {
    if (failedPolls > 0) {
      LOG.info("{} receives from {} again", consumer, queue);
      failedPolls = 0;
    }
    for (Message message : response.messages()) {
      SqsArrival arrival = new SqsArrival(this, message, queue, askedAt + visibilityNanos);
      if (stopped) {
        receipts.makeVisible(List.of(arrival)); // came after the source stopped: never handed out
      } else {
        inHand.add(arrival);
        arrivals.handle(arrival);
      }
    }
  }

  /** Holds every receive back until the queue is made again or a backoff has passed; once per failure. */
  private void pollFailed(Throwable failure) {
    if (stopped || backingOff) {
      return; // stopping, or another receive's failure is being seen to
    }
    backingOff = true;
    if (SqsCalls.isMissingQueue(failure)) {
      LOG.warn("{}: queue {} is gone; making it again", consumer, queue);
      queues.forget(queue);
      queues.provision(consumer, types).onComplete(made -> context.runOnContext(v -> {
        if (made.succeeded()) {
          url = made.result();
          backingOff = false;
          poll();
        } else {
          retryPollLater(made.cause());
        }
      }));
      return;
    }
    retryPollLater(failure);
  }

  private void retryPollLater(Throwable failure) {
    long wait = pollRetry.backoffAfter(++failedPolls);
    if (failedPolls == 1) {
      LOG.warn("{} cannot receive from {}: {}; trying again until it can", consumer, queue,
          SqsCalls.describe(failure));
    } else {
      LOG.debug("{} still cannot receive from {}: {}", consumer, queue, SqsCalls.describe(failure));
    }
    vertx.setTimer(Math.max(1, wait), id -> {
      backingOff = false;
      poll();
    });
  }

  /** Messages in hand that SQS still holds for this source; forgets the ones it no longer does. */
  private int stillHeld() {
    inHand.removeIf(arrival -> !arrival.held());
    return inHand.size();
  }

  // ------------------------------------------------------------------ keeping messages in hand

  /** Extends the visibility of every message in hand that has less than half of it left. */
  private void keepInHand() {
    stillHeld();
    long now = System.nanoTime();
    receipts.extend(inHand.stream()
        .filter(arrival -> !arrival.extending && arrival.visibleUntilNanos() - now < visibilityNanos / 2)
        .toList());
  }

  // ------------------------------------------------------------------ settling

  Future<Void> acknowledge(SqsArrival arrival) {
    return settle(arrival, done -> {
      deletes.add(new PendingDelete(arrival, done));
      if (deletes.size() >= MAX_MESSAGES_PER_RECEIVE) { // a DeleteMessageBatch takes as many as a receive gives
        flushDeletes();
      } else if (!deleteFlushQueued) {
        deleteFlushQueued = true;
        context.runOnContext(x -> flushDeletes()); // after the acknowledgements already on their way here
      }
      poll();
    });
  }

  /**
   * Deletes what was acknowledged, in one batch; completes the acknowledgements once SQS answered the
   * first attempt, whatever it said (a lost acknowledgement only means a duplicate, which the inbox
   * skips; {@link Receipts#delete} tries again in the background what went unanswered).
   */
  private Future<Void> flushDeletes() {
    deleteFlushQueued = false;
    if (deletes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<PendingDelete> batch = List.copyOf(deletes);
    deletes.clear();
    return receipts.delete(batch.stream().map(PendingDelete::arrival).toList())
        .onComplete(v -> batch.forEach(delete -> delete.done().complete()));
  }

  Future<Void> release(SqsArrival arrival) {
    return settle(arrival, done -> receipts.makeVisible(List.of(arrival)).onComplete(x -> {
      done.complete();
      poll();
    }));
  }

  /**
   * On the source's context, takes the arrival out of hand and runs {@code settling}, which
   * completes the promise, unless the arrival was settled before: then completes at once (a message
   * is settled once, whether acknowledged or released).
   */
  private Future<Void> settle(SqsArrival arrival, Consumer<Promise<Void>> settling) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (!arrival.settle()) {
        done.complete();
        return;
      }
      inHand.remove(arrival);
      settling.accept(done);
    });
    return done.future();
  }

  // ------------------------------------------------------------------ the runtime's controls

  @Override
  public void pause() {
    context.runOnContext(v -> paused = true);
  }

  @Override
  public void resume() {
    context.runOnContext(v -> {
      paused = false;
      poll();
    });
  }

  @Override
  public Future<Void> stop() {
    return onContext(v -> {
      stopped = true;
      if (receiving == 0) {
        pollsEnded.tryComplete();
      }
      return Future.succeededFuture();
    });
  }

  /**
   * Deletes what was acknowledged and stops keeping messages in hand: the runtime has given back what
   * it did not settle (else it would stay invisible until its visibility ran out).
   */
  @Override
  public Future<Void> close() {
    return onContext(v -> {
      stopped = true;
      if (receiving == 0) {
        pollsEnded.tryComplete();
      }
      if (keeperTimer >= 0) {
        vertx.cancelTimer(keeperTimer);
        keeperTimer = -1;
      }
      inHand.clear();
      return flushDeletes();
    });
  }

  private Future<Void> onContext(Function<Void, Future<Void>> action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> action.apply(null).onComplete(done));
    return done.future();
  }
}
