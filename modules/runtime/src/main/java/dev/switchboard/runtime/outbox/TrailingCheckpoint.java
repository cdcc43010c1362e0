package dev.switchboard.runtime.outbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The relay's checkpoint, saved behind the relay rather than in its way: the next round reads and
 * publishes while the position the last one reached is being committed, so that a store commit (an
 * fsync, a group-commit cycle) is not in every event's path to the broker. Losing a save costs nothing
 * but duplicates: after a crash the relay publishes again from the checkpoint saved last, and the
 * consumers' inboxes skip what they handled.
 *
 * <p>One save is in flight at a time; the next takes the furthest position asked for meanwhile. A save
 * that fails is made again with the next position asked for, or by {@link #flushed()}. Confined to the
 * relay's context.
 */
final class TrailingCheckpoint {

  private static final Logger LOG = LoggerFactory.getLogger(TrailingCheckpoint.class);
  private static final long NONE = -1;

  private final LongFunction<Future<Void>> save;
  private final List<Promise<Void>> waitingForFlush = new ArrayList<>();
  private long wanted = NONE;
  private long saved = NONE;
  private boolean saving;
  private boolean failedLast;

  /** @param save saves the checkpoint at a position (the store moves it forward only) */
  TrailingCheckpoint(LongFunction<Future<Void>> save) {
    this.save = save;
  }

  /** Asks for the checkpoint to be moved to {@code position}, soon; never backward. */
  void moveTo(long position) {
    wanted = Math.max(wanted, position);
    if (!saving && wanted > saved) {
      saveWanted();
    }
  }

  /**
   * Completes once every position asked for so far is saved, trying a failed save once more; fails if
   * that last try fails (the checkpoint then stays where it was saved last).
   */
  Future<Void> flushed() {
    if (!saving && wanted <= saved) {
      return Future.succeededFuture();
    }
    Promise<Void> flushed = Promise.promise();
    waitingForFlush.add(flushed);
    if (!saving) {
      saveWanted();
    }
    return flushed.future();
  }

  private void saveWanted() {
    saving = true;
    long target = wanted;
    attempt(target).onComplete(outcome -> {
      saving = false;
      if (outcome.succeeded()) {
        saved = Math.max(saved, target);
        failedLast = false;
      } else if (!failedLast) {
        failedLast = true; // said once per run of failures: the relay's own warnings say why the store is away
        LOG.warn("outbox relay: could not save its checkpoint {} (published events may be published again after a"
            + " restart): {}", target, outcome.cause().toString());
      }
      if (outcome.succeeded() && wanted > saved) {
        saveWanted();
      } else {
        answerFlushes(outcome.succeeded() ? null : outcome.cause());
      }
    });
  }

  private Future<Void> attempt(long target) {
    try {
      return save.apply(target);
    } catch (RuntimeException thrown) {
      return Future.failedFuture(thrown);
    }
  }

  private void answerFlushes(Throwable failure) {
    List<Promise<Void>> answered = List.copyOf(waitingForFlush);
    waitingForFlush.clear();
    for (Promise<Void> each : answered) {
      if (failure == null) {
        each.complete();
      } else {
        each.fail(failure);
      }
    }
  }
}
