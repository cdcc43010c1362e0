package dev.switchboard.runtime.outbox;

import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExclusiveRole;
import dev.switchboard.runtime.store.Registration;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.TrailingCheckpoint;
import dev.switchboard.runtime.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the log to a broker. The log is the outbox: the relay reads it from its own checkpoint,
 * oldest first, publishes each batch, and moves the checkpoint once the transport confirmed it, so
 * a crash or a broker outage delays events and never loses one (a retry may publish an event twice;
 * consumers' inboxes make that harmless). The checkpoint is saved behind the relay ({@link
 * TrailingCheckpoint}): the next batch is read and published while the last one's position commits.
 * It wakes on every append and polls as a safety net.
 *
 * <p>With a transport whose consumers read the log themselves (the local one) there is nothing to
 * publish: whatever is committed is delivered, and counted as published as this node commits it.
 * The relay then reads nothing and only keeps its checkpoint near the head, once a poll, so that a
 * store moved to a broker later publishes from there rather than its whole history.
 *
 * <p>Among nodes sharing a store, the one holding the relay's lease relays; another takes over,
 * from the checkpoint, within a poll interval if that node dies.
 */
public final class OutboxRelay {

  /** The relay's checkpoint among the consumers' ones: the position up to which the log is published. */
  public static final String CHECKPOINT = "outbox-relay";

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final long UNKNOWN = -1;

  /**
   * @param batchSize           events published per round at most
   * @param pollIntervalMillis  how often to look at the log without a wake-up
   * @param publishTimeoutMillis how long a publish may take before it counts as failed
   */
  public record Settings(int batchSize, long pollIntervalMillis, long publishTimeoutMillis) {
    /** Reads {@code outbox}, every key of it ({@code config/default.json} gives each its default). */
    public static Settings from(JsonObject outbox) {
      ConfigSection section = ConfigSection.of("outbox", outbox);
      return new Settings(section.integer("batchSize"), section.wholeNumber("pollIntervalMillis"),
          section.wholeNumber("publishTimeoutMillis"));
    }
  }

  private final Vertx vertx;
  private final EventStore store;
  private final Transport transport;
  private final Settings settings;
  private final EventMetrics metrics;
  private final Promise<Void> stopped = Promise.promise();
  private final ExclusiveRole role;
  private final TrailingCheckpoint checkpoint;
  /** Where the relay stands while it holds the role; reloaded from the store whenever it takes it. */
  private long position = UNKNOWN;
  private long pollTimer = -1;
  private boolean relaying;
  private boolean wokenWhileRelaying;
  private boolean stopping;
  private Registration wakeUps;

  public OutboxRelay(Vertx vertx, EventStore store, Transport transport, Settings settings) {
    this(vertx, store, transport, settings, EventMetrics.none());
  }

  public OutboxRelay(Vertx vertx, EventStore store, Transport transport, Settings settings, EventMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.store = store;
    this.transport = transport;
    this.settings = settings;
    this.role = new ExclusiveRole(store.leases(), CHECKPOINT);
    this.checkpoint = new TrailingCheckpoint("outbox relay", position -> store.saveCheckpoint(CHECKPOINT, position));
  }

  /** Must be called on the context the relay is to run on (its state is confined to it). */
  public void start() {
    if (transport.consumersReadTheLog()) {
      store.observeAppends(events -> metrics.published(transport.name(), events));
    } else {
      wakeUps = store.onAppended(this::wake);
    }
    pollTimer = vertx.setPeriodic(settings.pollIntervalMillis(), id -> poll());
    poll();
  }

  /**
   * What the transport has yet to be given: the events after the relay's checkpoint, and the time
   * of the oldest of them. Nothing, with a transport whose consumers read the log.
   */
  public Future<OutboxBacklog> backlog() {
    if (transport.consumersReadTheLog()) {
      return Future.succeededFuture(new OutboxBacklog(0, Optional.empty()));
    }
    return store.checkpoint(CHECKPOINT).compose(published -> {
      Future<Long> count = store.countAfter(published, Set.of());
      Future<List<StoredEvent>> oldest = store.readAll(published, Set.of(), 1);
      return Future.all(count, oldest).map(both -> new OutboxBacklog(count.result(),
          oldest.result().stream().findFirst().map(event -> Instant.parse(event.envelope().time()))));
    });
  }

  /** Takes the relay's lease if free (one node relays at a time), and relays. */
  private void poll() {
    role.tryTake().onComplete(taken -> {
      if (taken.succeeded() && taken.result()) {
        position = UNKNOWN; // another node may have moved the checkpoint while it held the role
      }
      wake();
    });
  }

  public void wake() {
    if (stopping || !role.held()) {
      return;
    }
    if (relaying) {
      wokenWhileRelaying = true;
      return;
    }
    relaying = true;
    wokenWhileRelaying = false;
    relayOnce().onComplete(result -> {
      relaying = false;
      if (stopping) {
        stopped.tryComplete();
        return;
      }
      if (result.failed()) {
        LOG.warn("outbox relay: publishing over {} failed, will retry: {}", transport.name(), result.cause().toString());
      } else if (result.result() == settings.batchSize() || wokenWhileRelaying) {
        wake();
      }
    });
  }

  /**
   * Lets the round in hand finish and saves the checkpoint it reached (so that what was published is
   * also marked so), marks the head a last time where consumers read the log (the node's modules have
   * stopped by then), then stops.
   */
  public Future<Void> stop() {
    stopping = true;
    if (wakeUps != null) {
      wakeUps.cancel();
    }
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    if (!relaying) {
      stopped.tryComplete();
    }
    return stopped.future()
        .compose(v -> !transport.consumersReadTheLog() ? checkpoint.flushed()
            : role.held() ? relayOnce().<Void>mapEmpty() : Future.<Void>succeededFuture())
        .recover(failure -> {
          LOG.warn("outbox relay: could not mark the head of the log at stop: {}", failure.toString());
          return Future.succeededFuture();
        })
        .compose(v -> role.release());
  }

  /** One round: how many events it published. */
  private Future<Integer> relayOnce() {
    Future<Long> from = position == UNKNOWN ? store.checkpoint(CHECKPOINT) : Future.succeededFuture(position);
    return from.compose(published -> {
      position = published;
      return transport.consumersReadTheLog() ? markTheHead(published) : publishAfter(published);
    });
  }

  private Future<Integer> publishAfter(long published) {
    return store.readAll(published, Set.of(), settings.batchSize()).compose(events -> {
      if (events.isEmpty()) {
        checkpoint.moveTo(published); // saves it again if the last save failed
        return Future.succeededFuture(0);
      }
      long last = events.get(events.size() - 1).position();
      return transport.publish(events)
          .timeout(settings.publishTimeoutMillis(), TimeUnit.MILLISECONDS)
          .map(v -> {
            position = last;
            checkpoint.moveTo(last);
            metrics.published(transport.name(), events);
            return events.size();
          });
    });
  }

  private Future<Integer> markTheHead(long published) {
    return store.readModels().head().compose(head -> {
      if (head <= published) {
        return Future.succeededFuture(0);
      }
      return store.saveCheckpoint(CHECKPOINT, head).map(v -> {
        position = head;
        return 0;
      });
    });
  }
}
