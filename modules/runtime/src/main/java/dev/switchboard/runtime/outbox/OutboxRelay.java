package dev.switchboard.runtime.outbox;

import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExclusiveRole;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * Publishes what the store has committed and the transport has not yet confirmed, oldest first.
 *
 * <p>An outbox row is removed only after the transport confirmed the publish, so a crash or a broker
 * outage delays events and never loses one (a retry may publish an event twice; consumers' inboxes
 * make that harmless). It wakes on every append and polls as a safety net.
 * Among nodes sharing a store, the one holding the relay's lease relays; another takes over within
 * a poll interval if that node dies.
 */
public final class OutboxRelay {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

  /**
   * @param batchSize           events published per round at most
   * @param pollIntervalMillis  how often to look at the outbox without a wake-up
   * @param publishTimeoutMillis how long a publish may take before it counts as failed
   */
  public record Settings(int batchSize, long pollIntervalMillis, long publishTimeoutMillis) {
    public static Settings from(JsonObject outbox) {
      return new Settings(outbox.getInteger("batchSize", 500), outbox.getLong("pollIntervalMillis", 1000L),
          outbox.getLong("publishTimeoutMillis", 10_000L));
    }
  }

  private final Vertx vertx;
  private final EventStore store;
  private final Transport transport;
  private final Settings settings;
  private final EventMetrics metrics;
  private final Promise<Void> stopped = Promise.promise();
  private final ExclusiveRole role;
  private Consumer<List<StoredEvent>> publishedListener = events -> { };
  private long pollTimer = -1;
  private boolean relaying;
  private boolean wokenWhileRelaying;
  private boolean stopping;

  public OutboxRelay(Vertx vertx, EventStore store, Transport transport, Settings settings) {
    this(vertx, store, transport, settings, EventMetrics.none());
  }

  public OutboxRelay(Vertx vertx, EventStore store, Transport transport, Settings settings, EventMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.store = store;
    this.transport = transport;
    this.settings = settings;
    this.role = new ExclusiveRole(store.leases(), "outbox-relay");
  }

  /** Runs (on the relay's context) after each batch the transport confirmed, with its events in log order. */
  public void onPublished(Consumer<List<StoredEvent>> listener) {
    this.publishedListener = listener;
  }

  /** Must be called on the context the relay is to run on (its state is confined to it). */
  public void start() {
    store.onAppended(this::wake);
    pollTimer = vertx.setPeriodic(settings.pollIntervalMillis(), id -> poll());
    poll();
  }

  /** Takes the relay's lease if free (one node relays at a time), and relays. */
  private void poll() {
    role.tryTake().onComplete(taken -> wake());
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

  /** Lets the round in hand finish (so that what was published is also marked so), then stops. */
  public Future<Void> stop() {
    stopping = true;
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    if (!relaying) {
      stopped.tryComplete();
    }
    return stopped.future().compose(v -> role.release());
  }

  private Future<Integer> relayOnce() {
    return store.outbox(settings.batchSize()).compose(events -> {
      if (events.isEmpty()) {
        return Future.succeededFuture(0);
      }
      List<Long> positions = events.stream().map(StoredEvent::position).toList();
      return transport.publish(events)
          .timeout(settings.publishTimeoutMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
          .compose(v -> store.removeFromOutbox(positions))
          .map(v -> {
            metrics.published(transport.name(), events);
            publishedListener.accept(events);
            return events.size();
          });
    });
  }
}
