package dev.switchboard.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A reader's checkpoint in the log, saved behind the reader rather than in its way: the reader goes on
 * while the position it reached is being committed, so that a store commit (an fsync, a group-commit
 * cycle) is not in every event's path. The outbox relay's and each consumer lane's reading of the log
 * save theirs so. Losing a save costs nothing but duplicates: after a crash the reader reads again
 * from the checkpoint saved last, and what it handled before is skipped.
 *
 * <p>One save is in flight at a time; the next takes the furthest position asked for meanwhile. With
 * a delay, a save waits that long after the first position asked for, so that a reader moving many
 * times a second saves a few times a second. A save that fails is made again with the next position
 * asked for, or by {@link #flushed()}. Confined to the reader's context.
 */
public final class TrailingCheckpoint {

  private static final Logger LOG = LoggerFactory.getLogger(TrailingCheckpoint.class);
  private static final long NONE = -1;

  private final String owner;
  private final LongFunction<Future<Void>> save;
  private final Vertx vertx;
  private final long delayMillis;
  private final List<Promise<Void>> waitingForFlush = new ArrayList<>();
  private long wanted = NONE;
  private long saved = NONE;
  private boolean saving;
  private boolean scheduled;
  private boolean failedLast;

  /**
   * Saves as soon as no other save is in flight.
   *
   * @param owner whose checkpoint, for the log
   * @param save  saves the checkpoint at a position (the store moves it forward only)
   */
  public TrailingCheckpoint(String owner, LongFunction<Future<Void>> save) {
    this(owner, save, null, 0);
  }

  /** Saves {@code delayMillis} after the first position asked for since the last save. */
  public TrailingCheckpoint(String owner, LongFunction<Future<Void>> save, Vertx vertx, long delayMillis) {
    if (delayMillis > 0 && vertx == null) {
      throw new IllegalArgumentException("a delayed checkpoint needs Vert.x for its timer");
    }
    this.owner = owner;
    this.save = save;
    this.vertx = vertx;
    this.delayMillis = delayMillis;
  }

  /**
   * Where the store holds the checkpoint now, read when the reader (re)starts: later positions are
   * saved from there, even if this one was further before (the store moves it forward only).
   */
  public void startAt(long position) {
    wanted = position;
    saved = position;
  }

  /** Asks for the checkpoint to be moved to {@code position}, soon; never backward. */
  public void moveTo(long position) {
    wanted = Math.max(wanted, position);
    if (!saving && wanted > saved) {
      saveSoon();
    }
  }

  /**
   * Completes once every position asked for so far is saved, saving at once what waits for a delay
   * and trying a failed save once more; fails if that last try fails (the checkpoint then stays where
   * it was saved last).
   */
  public Future<Void> flushed() {
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

  private void saveSoon() {
    if (delayMillis <= 0 || !waitingForFlush.isEmpty()) {
      saveWanted();
    } else if (!scheduled) {
      scheduled = true;
      vertx.setTimer(delayMillis, id -> {
        scheduled = false;
        if (!saving && wanted > saved) {
          saveWanted();
        }
      });
    }
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
        failedLast = true; // said once per run of failures: the reader's own warnings say why the store is away
        LOG.warn("{} could not save its checkpoint {} (what it read after its last saved one may be read again after"
            + " a restart): {}", owner, target, outcome.cause().toString());
      }
      if (outcome.succeeded() && wanted > saved) {
        saveSoon();
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
