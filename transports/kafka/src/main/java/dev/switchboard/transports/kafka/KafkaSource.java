package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.Source;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One consumer's membership of its consumer group, as a {@link Source}: polls its topics and hands
 * every record over as a {@link KafkaArrival}; commits, per partition, the offset after the last
 * contiguous acknowledged record ({@link PartitionOffsets}, {@link OffsetCommitter}), never a bare
 * {@code commit()} of what was fetched.
 *
 * <p><b>Pausing.</b> While the runtime asks for no more, every assigned partition (and any assigned
 * meanwhile) is paused and polling goes on, fetching nothing: a consumer that stops polling is taken
 * for dead and leaves its group (DESIGN §7). At most one poll's worth ({@code maxPollRecords})
 * arrives after a pause.
 *
 * <p><b>Offsets.</b> Committed periodically, for partitions being revoked, and on close. Rebalances
 * and crashes deliver again what was acknowledged but not yet committed; the consumer's inbox makes
 * that harmless.
 *
 * <p>State is confined to the context the source was opened on; the Kafka consumer itself runs on the
 * Vert.x Kafka client's own thread.
 */
final class KafkaSource implements Source {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);

  /**
   * How long a poll waits for records. Short, because pausing, resuming and committing queue behind
   * the poll on the client's thread.
   */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final long PAUSE_AFTER_FAILED_POLL_MILLIS = 1_000;

  private final Context context;
  private final Vertx vertx;
  private final String consumer;
  private final Set<String> topics;
  private final KafkaSettings settings;
  private final KafkaConsumer<String, byte[]> kafka;
  private final KafkaReadStream<String, byte[]> stream;
  private final Handler<Arrival> arrivals;
  private final Assignment assignment = new Assignment();
  private final OffsetCommitter committer;
  /** Partitions paused on the broker's side right now. */
  private final Set<TopicPartition> paused = new HashSet<>();
  /** Whether the runtime asked for no more records; applied before each poll. */
  private volatile boolean pauseWanted;
  private boolean pollFailing;
  private volatile boolean stopped;
  private volatile boolean closed;
  private Future<Void> closing;

  private KafkaSource(Vertx vertx, Context context, String consumer, Set<String> topics, KafkaSettings settings,
                      KafkaConsumer<String, byte[]> kafka, Handler<Arrival> arrivals) {
    this.vertx = vertx;
    this.context = context;
    this.consumer = consumer;
    this.topics = Set.copyOf(topics);
    this.settings = settings;
    this.kafka = kafka;
    this.stream = kafka.asStream();
    this.arrivals = arrivals;
    this.committer = new OffsetCommitter(vertx, context, consumer, stream, assignment, settings);
  }

  /** Joins the consumer's group on {@code context} and starts polling. */
  static Future<KafkaSource> open(Vertx vertx, Context context, String consumer, Set<String> topics,
                                  KafkaSettings settings, Handler<Arrival> arrivals) {
    Promise<KafkaSource> opened = Promise.promise();
    // the Kafka client binds to the context it is created on: create it there
    context.runOnContext(v -> {
      KafkaSource source;
      try {
        KafkaConsumer<String, byte[]> kafka = KafkaConsumer.create(vertx, ClientConfigs.consumer(settings, consumer),
            new StringDeserializer(), new ByteArrayDeserializer());
        source = new KafkaSource(vertx, context, consumer, topics, settings, kafka, arrivals);
      } catch (RuntimeException invalid) {
        opened.fail(invalid);
        return;
      }
      source.start().onComplete(opened);
    });
    return opened.future();
  }

  boolean isOpen() {
    return !closed;
  }

  private Future<KafkaSource> start() {
    stream.partitionsAssignedHandler(this::assigned);
    stream.partitionsRevokedHandler(this::revoked);
    return here(stream.subscribe(topics).timeout(settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS))
        .map(v -> {
          LOG.info("{} reads {} as consumer group {}", consumer, topics, Topics.groupOf(consumer));
          committer.start();
          pollNext();
          return this;
        })
        .recover(failure -> leaveGroup().transform(closedAnyway -> Future.failedFuture(failure)));
  }

  // ------------------------------------------------------------------ polling and pausing

  @Override
  public void pause() {
    pauseWanted = true;
  }

  @Override
  public void resume() {
    pauseWanted = false;
  }

  private void pollNext() {
    if (stopped) {
      return;
    }
    applyPause()
        .compose(v -> here(stream.poll(POLL_TIMEOUT)))
        .onComplete(polled -> {
          if (polled.succeeded()) {
            if (pollFailing) {
              pollFailing = false;
              LOG.info("{} polls {} again", consumer, topics);
            }
            handOver(polled.result());
            pollNext();
          } else {
            // while a broker is away this may fail at every attempt: say it once, and again when it works
            LOG.atLevel(pollFailing ? Level.DEBUG : Level.WARN).log("{} could not poll {}, trying again in {} ms: {}",
                consumer, topics, PAUSE_AFTER_FAILED_POLL_MILLIS, polled.cause().toString());
            pollFailing = true;
            vertx.setTimer(PAUSE_AFTER_FAILED_POLL_MILLIS, id -> pollNext());
          }
        });
  }

  /** Pauses every assigned partition while the runtime wants no more; resumes them after. */
  private Future<Void> applyPause() {
    Set<TopicPartition> assigned = assignment.partitions();
    paused.retainAll(assigned);
    if (pauseWanted) {
      Set<TopicPartition> toPause = new HashSet<>(assigned);
      toPause.removeAll(paused);
      if (toPause.isEmpty()) {
        return Future.succeededFuture();
      }
      paused.addAll(toPause);
      return here(stream.pause(toPause)).recover(failure -> {
        paused.removeAll(toPause);
        LOG.warn("{} could not pause {}: {}", consumer, toPause, failure.toString());
        return Future.succeededFuture();
      });
    }
    if (paused.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<TopicPartition> toResume = Set.copyOf(paused);
    paused.clear();
    return here(stream.resume(toResume)).recover(failure -> {
      LOG.warn("{} could not resume {}: {}", consumer, toResume, failure.toString());
      return Future.succeededFuture();
    });
  }

  private void handOver(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      if (stopped) {
        return; // never handed over, never committed: read again after the close
      }
      Optional<PartitionOffsets> offsets = assignment.of(new TopicPartition(record.topic(), record.partition()));
      if (offsets.isEmpty()) {
        continue; // revoked since the poll: its new owner reads it
      }
      offsets.get().received(record.offset());
      arrivals.handle(new KafkaArrival(record, offsets.get(), this));
    }
  }

  // ------------------------------------------------------------------ rebalances

  private void assigned(Set<TopicPartition> partitions) {
    if (stopped) {
      return;
    }
    assignment.assign(partitions);
    LOG.info("{} was assigned {}", consumer, partitions);
  }

  private void revoked(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> last = assignment.revoke(partitions);
    paused.removeAll(partitions);
    if (closed) {
      return; // the close committed them before leaving the group
    }
    LOG.info("{} gave up {}", consumer, partitions);
    committer.commit(last);
  }

  // ------------------------------------------------------------------ stopping and closing

  /** Stops polling; what a poll under way brings is dropped (and so read again later). */
  @Override
  public Future<Void> stop() {
    stopped = true;
    return Future.succeededFuture();
  }

  /** Commits what was acknowledged and leaves the group. Never fails. */
  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    try {
      onContext(() -> closeOnContext().onComplete(done));
    } catch (RejectedExecutionException vertxClosed) {
      // its Vert.x is gone, and the Kafka consumer with it (closed by the client's close hook)
      LOG.warn("{} was closed with its Vert.x instance: what it handled since its last commit is read again",
          consumer);
      done.complete();
    }
    return done.future();
  }

  private Future<Void> closeOnContext() {
    if (closing != null) {
      return closing;
    }
    stopped = true;
    closed = true;
    committer.stop();
    closing = committer.commitHandled()
        .compose(v -> leaveGroup())
        .onComplete(v -> LOG.info("{} stopped reading {}", consumer, topics));
    return closing;
  }

  private Future<Void> leaveGroup() {
    return here(kafka.close().timeout(2L * settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS))
        .recover(failure -> {
          LOG.warn("{} did not leave its consumer group cleanly: {}", consumer, failure.toString());
          return Future.succeededFuture();
        });
  }

  /** Runs on the source's context, where its state lives, whichever thread asks. */
  void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** The state of this source is confined to its context: every callback runs there. */
  private <T> Future<T> here(Future<T> future) {
    return KafkaFutures.on(context, future);
  }
}
