package dev.switchboard.runtime.transport.local;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExclusiveRole;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Inbound;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;

/**
 * Reads one consumer's events from the log, in order, one at a time, from its checkpoint on.
 *
 * <p>Among the nodes sharing a store, one reads for a consumer at a time: the one holding the
 * consumer's lease (see {@link ExclusiveRole}); the others try to take it at each poll, so a node
 * that dies is replaced within a poll interval, from the checkpoint it reached.
 *
 * <p>All state is confined to the context that created it; {@link #wake()} is cheap and may be
 * called at any rate: wake-ups that arrive while a batch is in hand fold into one more read.
 */
final class LogTailer {

  private static final Logger LOG = LoggerFactory.getLogger(LogTailer.class);

  private final Vertx vertx;
  private final EventStore store;
  private final String consumer;
  private final Set<String> types;
  private final Inbound inbound;
  private final LocalTransportSettings settings;
  private final Promise<Void> stopped = Promise.promise();
  private final ExclusiveRole role;

  private long cursor;
  private long pollTimer = -1;
  /** The cursor is the checkpoint read when the lease was last taken (or beyond). */
  private boolean positioned;
  private boolean reading;
  private boolean wokenWhileReading;
  private boolean stopping;

  LogTailer(Vertx vertx, EventStore store, String consumer, Set<String> types,
            Inbound inbound, LocalTransportSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.consumer = consumer;
    this.types = Set.copyOf(types);
    this.inbound = inbound;
    this.settings = settings;
    this.role = new ExclusiveRole(store.leases(), "consumer:" + consumer);
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
      return store.checkpoint(consumer).<Void>map(checkpoint -> {
        cursor = checkpoint;
        positioned = true;
        LOG.info("consumer {} reading the log after position {}", consumer, checkpoint);
        return null;
      });
    }).onComplete(done -> wake());
  }

  void wake() {
    if (stopping || !positioned || !role.held()) {
      return;
    }
    if (reading) {
      wokenWhileReading = true;
      return;
    }
    reading = true;
    wokenWhileReading = false;
    store.readAll(cursor, types, settings.batchSize())
        .compose(this::handleInOrder)
        .onComplete(result -> {
          reading = false;
          if (stopping) {
            stopped.tryComplete();
            return;
          }
          if (result.failed()) {
            // the next poll tries again from the same cursor: nothing was skipped
            LOG.warn("consumer {} could not read or handle events after {}: {}", consumer, cursor,
                result.cause().toString());
          } else if (result.result() == settings.batchSize() || wokenWhileReading) {
            wake();
          }
        });
  }

  /** Stops after the event in hand; the future completes when nothing is in flight. */
  Future<Void> stop() {
    stopping = true;
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    if (!reading) {
      stopped.tryComplete();
    }
    return stopped.future().compose(v -> role.release());
  }

  private Future<Integer> handleInOrder(List<StoredEvent> events) {
    Future<Void> chain = Future.succeededFuture();
    for (StoredEvent event : events) {
      chain = chain.compose(v -> {
        if (stopping) {
          return Future.succeededFuture();
        }
        return inbound.deliver(event).onSuccess(done -> cursor = event.position()).mapEmpty();
      });
    }
    return chain.map(v -> events.size());
  }
}
