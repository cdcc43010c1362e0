package dev.switchboard.runtime.consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps consumers' inboxes from growing for ever: every {@code interval} it forgets the entries older
 * than {@code retention}, in chunks of {@link #CHUNK}, each a short transaction of its own between the
 * consumers' commits.
 *
 * <p>An event from a broker is entered in its consumer's inbox so that a redelivery is known as a
 * duplicate. Brokers redeliver within a bound: what was neither acknowledged nor committed comes back
 * within minutes, Kafka keeps records for a week by default. The retention is meant to be longer. An
 * event redelivered after its entry is forgotten is still never applied twice: its stream's sequence
 * refuses it, and it is dead-lettered as out of order (see
 * {@link dev.switchboard.runtime.store.ConsumerStore#forgetInboxEntriesBefore}). Every node sharing a
 * store prunes it; the deletes of two nodes overlap harmlessly.
 */
public final class InboxRetention {

  /** Entries forgotten in one transaction at most. */
  static final int CHUNK = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(InboxRetention.class);

  /** The store's part: see {@link dev.switchboard.runtime.store.ConsumerStore#forgetInboxEntriesBefore}. */
  @FunctionalInterface
  public interface Forgetting {
    Future<Integer> forgetInboxEntriesBefore(Instant before, int limit);
  }

  /**
   * @param retention how long an inbox entry is kept ({@code consumers.inbox.retentionHours})
   * @param interval  how often old entries are looked for ({@code consumers.inbox.pruneIntervalMinutes})
   */
  public record Settings(Duration retention, Duration interval) {

    public Settings {
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("consumers.inbox.retentionHours must be positive, was " + retention.toHours());
      }
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("consumers.inbox.pruneIntervalMinutes must be positive, was "
            + interval.toMinutes());
      }
    }

    /** Reads {@code consumers.inbox}, whose keys every node's configuration has from {@code config/default.json}. */
    public static Settings from(JsonObject inbox) {
      return new Settings(Duration.ofHours(inbox.getLong("retentionHours")),
          Duration.ofMinutes(inbox.getLong("pruneIntervalMinutes")));
    }
  }

  private final Vertx vertx;
  private final Forgetting store;
  private final Settings settings;
  private final Clock clock;
  private long timer = -1;
  private boolean pruning;
  private volatile boolean stopped;

  public InboxRetention(Vertx vertx, Forgetting store, Settings settings, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  /** Prunes every {@code interval}, the first time one interval after the start. */
  public void start() {
    timer = vertx.setPeriodic(settings.interval().toMillis(), id -> prune());
  }

  /** Stops after the chunk in flight, if any. */
  public void stop() {
    stopped = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Forgets every entry older than the retention, chunk by chunk. Does nothing while a pruning is
   * still under way (a slow store, a short interval).
   *
   * @return how many entries it forgot; fails with the store's failure, after the log says it
   */
  Future<Integer> prune() {
    if (pruning || stopped) {
      return Future.succeededFuture(0);
    }
    pruning = true;
    Instant before = clock.instant().minus(settings.retention());
    return forgetFrom(before, 0)
        .onSuccess(forgotten -> {
          if (forgotten > 0) {
            LOG.info("forgot {} inbox entries made before {}", forgotten, before);
          }
        })
        .onFailure(failure -> LOG.warn("forgetting inbox entries made before {} failed; trying again in {}: {}",
            before, settings.interval(), failure.toString()))
        .onComplete(done -> pruning = false);
  }

  private Future<Integer> forgetFrom(Instant before, int forgotten) {
    return store.forgetInboxEntriesBefore(before, CHUNK).compose(chunk -> chunk < CHUNK || stopped
        ? Future.succeededFuture(forgotten + chunk)
        : forgetFrom(before, forgotten + chunk));
  }
}
