package dev.switchboard.runtime.transport;

import dev.switchboard.runtime.consumer.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * A consumer's subscription that does not give up when the broker is away at start: a node comes
 * up, reports itself not ready (the transport's readiness check fails meanwhile), and its consumer
 * subscribes as soon as the broker answers, rather than the node failing to start and depending on
 * something outside to start it again.
 *
 * <p>{@link #start} makes the first attempt and answers with its outcome when it succeeds, so a
 * node whose broker is there starts exactly as before. A failure that says the request itself is
 * wrong ({@link IllegalArgumentException}: no event type to subscribe to, say) fails at once: trying
 * again would not help. Any other failure is logged and tried again after a wait that doubles from
 * about a second up to five seconds ({@link RetryPolicy#backoffAfter}, whose jitter keeps the
 * consumers of a node from knocking all at once), until it succeeds or the subscription is closed.
 * The waits stay short because the node is not ready until each of its consumers has subscribed
 * (its readiness lists those still trying): a broker that comes back makes the node ready within
 * about five seconds and one attempt, not the half minute a longer wait could reach. An attempt
 * costs one client that fails to reach the broker within the transport's timeouts.
 */
public final class RetryingSubscription implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(RetryingSubscription.class);
  /** Attempts without end, the waits between them from about a second up to five seconds. */
  private static final RetryPolicy BACKOFF = RetryPolicy.withoutEnd(1_000, 5_000);

  private final Vertx vertx;
  private final Context context;
  private final String consumer;
  private final Supplier<Future<Subscription>> subscribe;
  private final Promise<Void> closed = Promise.promise();
  /** Read by the node's readiness check, from another thread. */
  private volatile Subscription subscribed;
  private int failedAttempts;
  private long timer = -1;
  private boolean attempting;
  private boolean closing;

  private RetryingSubscription(Vertx vertx, String consumer, Supplier<Future<Subscription>> subscribe) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.consumer = consumer;
    this.subscribe = subscribe;
  }

  /**
   * Subscribes with {@code subscribe}, trying again until it succeeds or the subscription is closed.
   * Call on the consumer's context: every attempt and the close run there.
   */
  public static Future<RetryingSubscription> start(Vertx vertx, String consumer,
                                                   Supplier<Future<Subscription>> subscribe) {
    RetryingSubscription subscription = new RetryingSubscription(vertx, consumer, subscribe);
    return subscription.attemptOnContext().transform(first -> {
      if (first.succeeded()) {
        subscription.subscribed = first.result();
        return Future.succeededFuture(subscription);
      }
      if (first.cause() instanceof IllegalArgumentException) {
        return Future.failedFuture(first.cause());
      }
      long delay = subscription.retryLater();
      LOG.warn("{} could not subscribe ({}); the node starts without it and tries again in {} ms", consumer,
          first.cause().getMessage(), delay);
      return Future.succeededFuture(subscription);
    });
  }

  /** True once the consumer is subscribed. */
  public boolean subscribed() {
    return subscribed != null;
  }

  @Override
  public String consumer() {
    return consumer;
  }

  /** Stops trying; closes the subscription if there is one, or the one an attempt in flight makes. */
  @Override
  public Future<Void> close() {
    if (!closing) {
      closing = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
      if (subscribed != null) {
        subscribed.close().onComplete(closed);
      } else if (!attempting) {
        closed.tryComplete();
      } // else the attempt in flight completes it
    }
    return closed.future();
  }

  /** Counts the attempt that failed and sets the timer for the next; answers the wait. */
  private long retryLater() {
    long delay = BACKOFF.backoffAfter(++failedAttempts);
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      attempt();
    });
    return delay;
  }

  private void attempt() {
    if (closing) {
      closed.tryComplete();
      return;
    }
    attempting = true;
    attemptOnContext().onComplete(outcome -> {
      attempting = false;
      if (outcome.succeeded()) {
        subscribed = outcome.result();
        LOG.info("{} subscribed", consumer);
        if (closing) { // closed while this attempt was in flight
          subscribed.close().onComplete(closed);
        }
        return;
      }
      if (closing) {
        closed.tryComplete();
        return;
      }
      long delay = retryLater();
      LOG.warn("{} could not subscribe ({}); trying again in {} ms", consumer, outcome.cause().getMessage(), delay);
    });
  }

  /** An attempt, its outcome handled on the consumer's context (a transport may answer on a thread of its own). */
  private Future<Subscription> attemptOnContext() {
    Future<Subscription> attempt;
    try {
      attempt = subscribe.get();
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    Promise<Subscription> onContext = Promise.promise();
    attempt.onComplete(outcome -> context.runOnContext(v -> onContext.handle(outcome)));
    return onContext.future();
  }
}
