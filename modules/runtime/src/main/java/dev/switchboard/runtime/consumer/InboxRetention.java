package dev.switchboard.runtime.consumer;

import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.store.Pruning;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps consumers' inboxes from growing for ever: every {@code interval} it forgets the entries older
 * than {@code retention} ({@link Pruning}).
 *
 * <p>An event from a broker is entered in its consumer's inbox so that a redelivery is known as a
 * duplicate. Brokers redeliver within a bound: what was neither acknowledged nor committed comes back
 * within minutes, Kafka keeps records for a week by default. The retention is meant to be longer. An
 * event redelivered after its entry is forgotten is still never applied twice: its stream's sequence
 * refuses it, and it is dead-lettered as out of order (see
 * {@link dev.switchboard.runtime.store.ConsumerStore#forgetInboxEntriesBefore}).
 */
public final class InboxRetention {

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
      ConfigSection section = ConfigSection.of("consumers.inbox", inbox);
      return new Settings(Duration.ofHours(section.wholeNumber("retentionHours")),
          Duration.ofMinutes(section.wholeNumber("pruneIntervalMinutes")));
    }
  }

  private InboxRetention() {
  }

  /** The pruning of the inboxes: each time, the entries made more than the retention before then. */
  public static Pruning pruning(Vertx vertx, Forgetting store, Settings settings, Clock clock) {
    return new Pruning(vertx, "inbox entries", settings.interval(), clock,
        (now, limit) -> store.forgetInboxEntriesBefore(now.minus(settings.retention()), limit));
  }
}
