package dev.switchboard.runtime.transport.local;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExclusiveRole;
import dev.switchboard.runtime.store.StoredEvent;
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
 * handled. Events after it that finished early are handled again after a crash or a failure, and
 * skipped by the consumer's inbox; none is ever skipped. When a delivery fails (the store went
 * away), nothing more is read until what is in hand has finished; then reading starts again from
 * the watermark, at the next poll.
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

  private final Vertx vertx;
  private final EventStore store;
  private final String consumer;
  private final Set<String> types;
  private final Inbound inbound;
  private final LocalTransportSettings settings;
  private final SubjectLanes lanes;
  private final ExclusiveRole role;
  private final Promise<Void> stopped = Promise.promise();
  /** The events in hand, in log order, and whether each has finished. */
  private final Deque<InHand> inHand = new ArrayDeque<>();

  private long readUpTo;
  private long watermark;
  private long saved;
  private long pollTimer = -1;
  private boolean saveScheduled;
  /** The read position is the checkpoint taken with the lease (or beyond). */
  private boolean positioned;
  private boolean reading;
  private boolean wokenWhileReading;
  private boolean failing;
  private boolean stopping;

  private static final class InHand {
    private final long position;
    private boolean finished;

    InHand(long position) {
      this.position = position;
    }
  }

  LogTailer(Vertx vertx, EventStore store, String consumer, Set<String> types, Inbound inbound,
            LocalTransportSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.consumer = consumer;
    this.types = Set.copyOf(types);
    this.inbound = inbound;
    this.settings = settings;
    this.lanes = new SubjectLanes(settings.batchSize());
    this.role = new ExclusiveRole(store.leases(), "consumer:" + consumer);
    lanes.onRoom(this::wake);
  }

  String consumer() {
    return consumer;
  }

  Future<Void> start() {
    pollTimer = vertx.setPeriodic(settings.pollIntervalMillis(), id -> poll());
    return poll();
  }

  /** Takes the consumer's lease if free (then reads from its checkpoint, wherever another node left it), and reads. */
  private Future<Void> poll() {
    return role.tryTake().compose(taken -> {
      if (!taken) {
        return Future.succeededFuture();
      }
      positioned = false;
      return lanes.drained().compose(v -> store.checkpoint(consumer)).<Void>map(checkpoint -> {
        inHand.clear();
        readUpTo = checkpoint;
        watermark = checkpoint;
        saved = checkpoint;
        positioned = true;
        LOG.info("consumer {} reading the log after position {}", consumer, checkpoint);
        return null;
      });
    }).onComplete(done -> wake());
  }

  void wake() {
    if (stopping || failing || !positioned || !role.held()) {
      return;
    }
    if (reading) {
      wokenWhileReading = true;
      return;
    }
    int room = settings.batchSize() - lanes.admitted();
    if (room <= 0) {
      return; // the lanes call again when there is room
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
      events.forEach(this::hand);
      if (events.size() == room || wokenWhileReading) {
        wake();
      }
    });
  }

  private void hand(StoredEvent event) {
    InHand slot = new InHand(event.position());
    inHand.addLast(slot);
    readUpTo = event.position();
    lanes.submit(event.envelope().subject(), () -> inbound.deliver(event)).onComplete(delivered -> {
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

  private void advanceWatermark() {
    while (!inHand.isEmpty() && inHand.peekFirst().finished) {
      watermark = inHand.removeFirst().position;
    }
    if (watermark > saved && !saveScheduled) {
      saveScheduled = true;
      vertx.setTimer(CHECKPOINT_DELAY_MILLIS, id -> saveCheckpoint());
    }
  }

  private Future<Void> saveCheckpoint() {
    saveScheduled = false;
    long reached = watermark;
    if (reached <= saved) {
      return Future.succeededFuture();
    }
    return store.saveCheckpoint(consumer, reached)
        .onSuccess(v -> saved = Math.max(saved, reached))
        .onFailure(failure -> LOG.warn("consumer {} could not save its checkpoint {}: {}", consumer, reached,
            failure.toString()));
  }

  /** Reads nothing more until what is in hand has finished, then starts again from the watermark. */
  private void deliveryFailed(StoredEvent event, Throwable cause) {
    if (!failing) {
      LOG.warn("consumer {} could not handle {} at position {}, will read again from {}: {}", consumer, event.type(),
          event.position(), watermark, cause.toString());
    }
    failing = true;
    lanes.drained().onComplete(v -> {
      inHand.clear();
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
    return stopped.future().compose(v -> saveCheckpoint()).recover(failure -> Future.succeededFuture())
        .compose(v -> role.release());
  }

  private void finishStopping() {
    if (!reading && lanes.admitted() == 0) {
      stopped.tryComplete();
    }
  }
}
