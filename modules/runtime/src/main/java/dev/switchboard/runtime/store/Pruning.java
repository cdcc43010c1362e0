package dev.switchboard.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps something a store holds from growing for ever: every {@code interval} it forgets what has
 * had its time, in chunks of {@link #CHUNK}, each a short transaction of its own between the
 * node's other writes, so that a large backlog (the first pruning after an upgrade, a node that was
 * down for a week) never holds the writer long.
 *
 * <p>Every node sharing a store prunes it; the deletes of two nodes overlap harmlessly. A pruning
 * that fails is logged and made again at the next interval: nothing depends on it but disk space.
 */
public final class Pruning {

  /** Forgotten in one transaction at most. */
  public static final int CHUNK = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(Pruning.class);

  /** The store's part: forget at most {@code limit} of what has had its time as of {@code now}; answers how many. */
  @FunctionalInterface
  public interface Forgetting {
    Future<Integer> forget(Instant now, int limit);
  }

  private final Vertx vertx;
  private final String what;
  private final Duration interval;
  private final Clock clock;
  private final Forgetting forgetting;
  private long timer = -1;
  private boolean pruning;
  private volatile boolean stopped;

  /**
   * @param what     what is forgotten, for the log ("inbox entries", "expired documents")
   * @param interval how often to look; must be positive
   */
  public Pruning(Vertx vertx, String what, Duration interval, Clock clock, Forgetting forgetting) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the interval of pruning " + what + " must be positive, was " + interval);
    }
    this.vertx = vertx;
    this.what = what;
    this.interval = interval;
    this.clock = clock;
    this.forgetting = forgetting;
  }

  /** Prunes every interval, the first time one interval after the start. */
  public void start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> prune());
  }

  /** Stops after the chunk in flight, if any. */
  public void stop() {
    stopped = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Forgets, chunk by chunk, all that has had its time as of now. Does nothing while a pruning is
   * still under way (a slow store, a short interval).
   *
   * @return how many it forgot; fails with the store's failure, after the log says it
   */
  public Future<Integer> prune() {
    if (pruning || stopped) {
      return Future.succeededFuture(0);
    }
    pruning = true;
    Instant now = clock.instant();
    return forgetFrom(now, 0)
        .onSuccess(forgotten -> {
          if (forgotten > 0) {
            LOG.info("forgot {} {} as of {}", forgotten, what, now);
          }
        })
        .onFailure(failure -> LOG.warn("forgetting {} as of {} failed; trying again in {}: {}", what, now, interval,
            failure.toString()))
        .onComplete(done -> pruning = false);
  }

  private Future<Integer> forgetFrom(Instant now, int forgotten) {
    return forgetting.forget(now, CHUNK).compose(chunk -> chunk < CHUNK || stopped
        ? Future.succeededFuture(forgotten + chunk)
        : forgetFrom(now, forgotten + chunk));
  }
}
