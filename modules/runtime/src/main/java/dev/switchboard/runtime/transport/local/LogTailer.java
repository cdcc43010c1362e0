package dev.switchboard.runtime.transport.local;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExclusiveRole;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.TrailingCheckpoint;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.SubjectLanes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Reads one consumer's events from the log, from its checkpoint on, and hands them to the
 * consumer: one at a time per subject, in log order (so an order's events are applied in order),
 * and many subjects side by side, up to {@code batchSize} events in hand (so that the store's group
 * commit can take many consumers' effects in one transaction).
 *
 * <p>The checkpoint saved is the watermark: the position up to which every event read has been
 * handled. Events after it that finished early are read again after a crash or a failure, and
 * skipped as handled (the consumer's place in each stream, committed with its effects, tells); none
 * is ever skipped unhandled. Only those are asked about: an event after the last the consumer handled
 * when the lane is taken ({@link EventStore#handledUpTo}), and after the last read before a failure,
 * is handed over as new. When a delivery fails (the store went away), nothing more in hand is handed
 * over (a later event of the same order would overtake the one that failed) and nothing more is read
 * until what was started has finished; then reading starts again from the watermark, at the next
 * poll.
 *
 * <p>Among the nodes sharing a store, one reads for a consumer at a time: the one holding the
 * consumer's lease (see {@link ExclusiveRole}); the others try to take it at each poll, so a node
 * that dies is replaced within a poll interval, from the checkpoint it reached.
 *
 * <p>All state is confined to the context that created it; {@link #wake()} is cheap and may be
 * called at any rate.
 */
final class LogTailer {

  private static final Logger LOG = LoggerFactory.getLogger(LogTailer.class);
  /** How long a watermark may wait to be saved: the events after it would be read again (and skipped). */
  private static final long CHECKPOINT_DELAY_MILLIS = 100;
  private static final long WHOLE_CHECKPOINT_INTERVAL_MILLIS = 5_000;

  private final Vertx vertx;
  private final EventStore store;
  private final String consumer;
  private final Set<String> types;
  private final Inbound inbound;
  private final LocalTransportSettings settings;
  private final SubjectLanes subjects;
  private final Lane lane;
  private final LaneShare share;
  /** The name the lane's checkpoint is saved under. */
  private final String checkpoint;
  /** The watermark, saved behind the reading. */
  private final TrailingCheckpoint trailingCheckpoint;
  private final ExclusiveRole role;
  private final Promise<Void> stopped = Promise.promise();
  /** The events in hand, in log order, and whether each has finished. */
  private final Deque<InHand> inHand = new ArrayDeque<>();

  private long readUpTo;
  /** Events up to here may have been handled before (by another node, or before a failure): the store tells. */
  private long maybeHandledUpTo;
  private long watermark;
  private long pollTimer = -1;
  /** The read position is the checkpoint taken with the lease (or beyond). */
  private boolean positioned;
  private boolean reading;
  private boolean wokenWhileReading;
  private boolean failing;
  /** How many deliveries failed: a failure may come (and be dealt with) while a read is being handed over. */
  private long deliveryFailures;
  private boolean stopping;
  /** Whether {@link #share} counts this lane as read here. */
  private boolean counted;
  /** Giving the lane back to the nodes that have fewer than their share: reads nothing meanwhile. */
  private boolean givingBack;
  /** When the whole consumer's checkpoint was last brought up to its slowest lane (lane 0 does it). */
  private long wholeSavedAt;

  private static final class InHand {
    private final long position;
    private boolean finished;

    InHand(long position) {
      this.position = position;
    }
  }

  /** A tailer of one lane of the consumer's, taking it only within this node's {@code share}. */
  LogTailer(Vertx vertx, EventStore store, String consumer, Set<String> types, Inbound inbound,
            LocalTransportSettings settings, Lane lane, LaneShare share) {
    this.vertx = vertx;
    this.store = store;
    this.consumer = consumer;
    this.types = Set.copyOf(types);
    this.inbound = inbound;
    this.settings = settings;
    this.subjects = new SubjectLanes(settings.batchSize());
    this.lane = lane;
    this.share = share;
    this.checkpoint = lane.checkpointOf(consumer);
    this.trailingCheckpoint = new TrailingCheckpoint("consumer " + consumer + " (" + lane + ")",
        position -> store.saveCheckpoint(checkpoint, position).onSuccess(saved -> keepWholeCheckpoint()),
        vertx, CHECKPOINT_DELAY_MILLIS);
    this.role = new ExclusiveRole(store.leases(), lane.roleOf(consumer));
    subjects.onRoom(this::wake);
  }

  Future<Void> start() {
    pollTimer = vertx.setPeriodic(settings.pollIntervalMillis(), id -> poll());
    return poll();
  }

  /**
   * Takes the lane's lease if free and within this node's share (then reads from the lane's
   * checkpoint, wherever another node left it), gives the lane back if this node reads more than
   * its share, and reads.
   */
  private Future<Void> poll() {
    if (stopping || givingBack) {
      return Future.succeededFuture();
    }
    share.recount();
    if (counted && !role.held()) {
      counted = false; // the lease was lost
      share.gaveUp(lane);
    }
    if (role.held() && share.shouldGiveBack(lane)) {
      return giveBack();
    }
    if (!role.held() && !share.mayTakeAnother()) {
      return Future.succeededFuture();
    }
    return role.tryTake().compose(taken -> {
      if (!taken) {
        return Future.succeededFuture();
      }
      counted = true;
      share.took(lane);
      positioned = false;
      Future<Long> starting = subjects.drained().compose(v -> startingPosition());
      return starting.compose(position -> store.handledUpTo(consumer)).<Void>map(handledUpTo -> {
        long position = starting.result();
        inHand.clear();
        maybeHandledUpTo = handledUpTo;
        readUpTo = position;
        watermark = position;
        trailingCheckpoint.startAt(position);
        positioned = true;
        LOG.info("consumer {} reading {} after position {}", consumer, lane, position);
        return null;
      });
    }).onComplete(done -> wake());
  }

  /**
   * The lane's checkpoint; for a lane that has none yet, the whole consumer's (every event at or
   * below it was handled before the consumer was split, or is behind its slowest lane).
   */
  private Future<Long> startingPosition() {
    return store.checkpoint(checkpoint).compose(own -> own > 0 || lane.isWhole()
        ? Future.succeededFuture(own) : store.checkpoint(consumer));
  }

  /** Stops reading the lane, lets what is in hand finish, saves where it got to and releases its lease. */
  private Future<Void> giveBack() {
    givingBack = true;
    LOG.info("consumer {} gives {} back: this node reads more lanes than its share", consumer, lane);
    return subjects.drained()
        .compose(v -> trailingCheckpoint.flushed())
        .transform(saved -> role.release())
        .onComplete(done -> {
          counted = false;
          share.gaveUp(lane);
          positioned = false;
          givingBack = false;
        });
  }

  void wake() {
    if (stopping || failing || givingBack || !positioned || !role.held()) {
      return;
    }
    if (reading) {
      wokenWhileReading = true;
      return;
    }
    int room = settings.batchSize() - subjects.admitted();
    if (room <= 0) {
      return; // the subjects' lanes call again when there is room
    }
    reading = true;
    wokenWhileReading = false;
    store.readAll(readUpTo, types, room).onComplete(read -> {
      reading = false;
      if (stopping) {
        finishStopping();
        return;
      }
      if (read.failed()) {
        // the next poll tries again from the same place: nothing was skipped
        LOG.warn("consumer {} could not read the log after {}: {}", consumer, readUpTo, read.cause().toString());
        return;
      }
      List<StoredEvent> events = read.result();
      long failuresBefore = deliveryFailures;
      for (StoredEvent event : events) {
        if (deliveryFailures != failuresBefore) {
          return; // one failed as it was handed over: the rest is read again from the watermark, at the next poll
        }
        if (lane.holds(event.envelope().subject())) {
          hand(event);
        } else {
          passOver(event);
        }
      }
      if (events.size() == room || wokenWhileReading) {
        wake();
      }
    });
  }

  private void hand(StoredEvent event) {
    InHand slot = new InHand(event.position());
    inHand.addLast(slot);
    readUpTo = event.position();
    boolean maybeHandled = event.position() <= maybeHandledUpTo;
    subjects.submit(event.envelope().subject(), () -> {
      if (failing) {
        // An earlier delivery failed, perhaps of this event's order: handing this one over would let it
        // overtake that one. It is read again from the watermark with the rest. (The failure is known
        // here: this lane's listener on the earlier delivery ran before the subject's next was started.)
        return Future.failedFuture(new NotDelivered());
      }
      return maybeHandled ? inbound.deliver(event) : inbound.deliverNew(event);
    }).onComplete(delivered -> {
          if (delivered.succeeded()) {
            slot.finished = true;
            advanceWatermark();
          } else {
            deliveryFailed(event, delivered.cause());
          }
          if (stopping) {
            finishStopping();
          }
        });
  }

  /** An event of another lane: done with as far as this lane is concerned. */
  private void passOver(StoredEvent event) {
    InHand slot = new InHand(event.position());
    slot.finished = true;
    inHand.addLast(slot);
    readUpTo = event.position();
    advanceWatermark();
  }

  private void advanceWatermark() {
    while (!inHand.isEmpty() && inHand.peekFirst().finished) {
      watermark = inHand.removeFirst().position;
    }
    trailingCheckpoint.moveTo(watermark);
  }

  /**
   * Brings the whole consumer's checkpoint up to its slowest lane, now and then (from lane 0 only):
   * where lanes of a new split start, and what the consumer's lag is counted from.
   */
  private void keepWholeCheckpoint() {
    long now = System.currentTimeMillis();
    if (lane.isWhole() || lane.index() != 0 || now - wholeSavedAt < WHOLE_CHECKPOINT_INTERVAL_MILLIS) {
      return;
    }
    wholeSavedAt = now;
    List<Future<Long>> lanes = java.util.stream.IntStream.range(0, lane.count())
        .mapToObj(index -> store.checkpoint(new Lane(index, lane.count()).checkpointOf(consumer))).toList();
    Future.all(lanes)
        .compose(all -> {
          long slowest = lanes.stream().mapToLong(Future::result).min().orElse(0);
          return slowest > 0 ? store.saveCheckpoint(consumer, slowest) : Future.<Void>succeededFuture();
        })
        .onFailure(failure -> LOG.debug("consumer {} could not bring its whole checkpoint up to its lanes: {}", consumer,
            failure.toString()));
  }

  /** An event in hand not handed over, because an earlier delivery failed: it is read again. */
  private static final class NotDelivered extends RuntimeException {
    NotDelivered() {
      super("not handed over: an earlier delivery failed", null, false, false);
    }
  }

  /** Reads nothing more until what is in hand has finished, then starts again from the watermark. */
  private void deliveryFailed(StoredEvent event, Throwable cause) {
    if (!failing) {
      LOG.warn("consumer {} could not handle {} at position {}, will read again from {}: {}", consumer, event.type(),
          event.position(), watermark, cause.toString());
    }
    failing = true;
    deliveryFailures++;
    subjects.drained().onComplete(v -> {
      inHand.clear();
      maybeHandledUpTo = Math.max(maybeHandledUpTo, readUpTo); // what finished early is read again
      readUpTo = watermark;
      failing = false;
    });
  }

  /** Stops reading, lets the events in hand finish, saves the watermark; the future completes when nothing is in flight. */
  Future<Void> stop() {
    stopping = true;
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    finishStopping();
    return stopped.future().compose(v -> trailingCheckpoint.flushed()).recover(failure -> Future.succeededFuture())
        .compose(v -> role.release())
        .onComplete(v -> {
          if (counted) {
            counted = false;
            share.gaveUp(lane);
          }
        });
  }

  private void finishStopping() {
    if (!reading && subjects.admitted() == 0) {
      stopped.tryComplete();
    }
  }
}
