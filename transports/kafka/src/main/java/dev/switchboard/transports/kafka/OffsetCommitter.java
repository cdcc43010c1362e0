package dev.switchboard.transports.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Commits a consumer's handled positions ({@link Assignment#toCommit()}) as explicit offsets, never
 * a bare {@code commit()} of what was fetched: every {@code commitIntervalMillis} when they moved,
 * and when asked (partitions revoked, closing). A commit that fails is no loss, only some records
 * delivered again later, so commits never fail their caller.
 *
 * <p>Confined to the consumer's context, like the {@link Assignment} it reads.
 */
final class OffsetCommitter {

  private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);

  private final Vertx vertx;
  private final Context context;
  private final String consumer;
  private final KafkaReadStream<String, byte[]> stream;
  private final Assignment assignment;
  private final KafkaSettings settings;
  private long timer = -1;
  private boolean periodicInFlight;
  private boolean failing;

  OffsetCommitter(Vertx vertx, Context context, String consumer, KafkaReadStream<String, byte[]> stream,
                  Assignment assignment, KafkaSettings settings) {
    this.vertx = vertx;
    this.context = context;
    this.consumer = consumer;
    this.stream = stream;
    this.assignment = assignment;
    this.settings = settings;
  }

  /** Must be called on the consumer's context. */
  void start() {
    timer = vertx.setPeriodic(settings.commitIntervalMillis(), id -> commitPeriodically());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** Commits every position that moved. */
  Future<Void> commitHandled() {
    return commit(assignment.toCommit());
  }

  /**
   * Commits these positions. Commits run one after the other on the Kafka client's thread, so a
   * later one (with positions at least as far) always lands after an earlier one.
   */
  Future<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    Future<?> committed = stream.commit(offsets).timeout(2L * settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
    return KafkaFutures.on(context, committed)
        .onSuccess(done -> {
          assignment.committed(offsets);
          if (failing) {
            failing = false;
            LOG.info("{} commits its offsets again", consumer);
          }
        })
        .<Void>mapEmpty()
        .recover(failure -> {
          // while a broker is away this fails at every interval: say it once, and again when it works
          LOG.atLevel(failing ? Level.DEBUG : Level.WARN).log("{} could not commit the offsets of {} partition(s);"
              + " they are committed later, or the records after them delivered again: {}", consumer, offsets.size(),
              failure.getMessage());
          failing = true;
          return Future.succeededFuture();
        });
  }

  private void commitPeriodically() {
    if (periodicInFlight) {
      return; // a slow commit (a broker away) is not joined by more
    }
    periodicInFlight = true;
    commitHandled().onComplete(done -> periodicInFlight = false);
  }
}
