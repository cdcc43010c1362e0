package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.SubjectLanes;
import dev.switchboard.runtime.transport.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
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

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One consumer's membership of its consumer group: polls its topics, hands each record to its
 * subject's lane, and commits, per partition, the offset after the last contiguous handled record.
 *
 * <p><b>Back-pressure.</b> At most {@code maxInFlight} records are in hand at once (across subjects;
 * one at a time per subject). While that is full, or records polled earlier still wait for room,
 * every assigned partition is paused, so further polls fetch nothing and at most one poll's worth
 * of records ever waits. The consumer keeps polling all the while: a consumer that stops polling
 * (a paused stream) is taken for dead and leaves its group (DESIGN §7).
 *
 * <p><b>Offsets.</b> Committed by the {@link OffsetCommitter}: periodically, for partitions being
 * revoked, and on close. Rebalances and crashes redeliver what was handled but not yet committed;
 * the consumer's inbox makes that harmless.
 *
 * <p>All state is confined to the context the subscription was opened on; the Kafka consumer
 * itself runs on the Vert.x Kafka client's own thread.
 */
final class KafkaSubscription implements Subscription {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSubscription.class);

  /**
   * How long a poll waits for records. Short, because pausing, resuming and committing queue behind
   * the poll on the client's thread.
   */
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
  private static final long PAUSE_AFTER_FAILED_POLL_MILLIS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final String consumer;
  private final Set<String> topics;
  private final KafkaSettings settings;
  private final KafkaConsumer<String, byte[]> kafka;
  private final KafkaReadStream<String, byte[]> stream;
  private final SubjectLanes lanes;
  private final RecordDelivery delivery;
  private final Assignment assignment = new Assignment();
  private final OffsetCommitter committer;
  /** Polled records not yet admitted to a lane, oldest first. */
  private final Queue<Polled> waiting = new ArrayDeque<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private final Consumer<KafkaSubscription> onClosed;
  private volatile boolean closing;
  private Future<Void> closed;

  private record Polled(ConsumerRecord<String, byte[]> record, PartitionOffsets offsets) {
  }

  private KafkaSubscription(Vertx vertx, Context context, String consumer, Set<String> topics, KafkaSettings settings,
                            KafkaConsumer<String, byte[]> kafka, RecordDelivery.Factory deliveries,
                            Consumer<KafkaSubscription> onClosed) {
    this.vertx = vertx;
    this.context = context;
    this.consumer = consumer;
    this.topics = Set.copyOf(topics);
    this.settings = settings;
    this.kafka = kafka;
    this.stream = kafka.asStream();
    this.lanes = new SubjectLanes(settings.maxInFlight());
    this.committer = new OffsetCommitter(vertx, context, consumer, stream, assignment, settings);
    this.delivery = deliveries.create(() -> closing);
    this.onClosed = onClosed;
  }

  /**
   * Joins the consumer's group on {@code context} and starts polling.
   *
   * @param onClosed told once the subscription is closed
   */
  static Future<KafkaSubscription> open(Vertx vertx, Context context, String consumer, Set<String> topics,
                                        KafkaSettings settings, RecordDelivery.Factory deliveries,
                                        Consumer<KafkaSubscription> onClosed) {
    Promise<KafkaSubscription> opened = Promise.promise();
    // the Kafka client binds to the context it is created on: create it there
    context.runOnContext(v -> {
      KafkaSubscription subscription;
      try {
        KafkaConsumer<String, byte[]> kafka = KafkaConsumer.create(vertx, ClientConfigs.consumer(settings, consumer),
            new StringDeserializer(), new ByteArrayDeserializer());
        subscription = new KafkaSubscription(vertx, context, consumer, topics, settings, kafka, deliveries, onClosed);
      } catch (RuntimeException invalid) {
        opened.fail(invalid);
        return;
      }
      subscription.start().onComplete(opened);
    });
    return opened.future();
  }

  @Override
  public String consumer() {
    return consumer;
  }

  /** The topics this consumer reads. */
  Set<String> topics() {
    return topics;
  }

  private Future<KafkaSubscription> start() {
    lanes.onRoom(this::admitWaiting);
    stream.partitionsAssignedHandler(this::assigned);
    stream.partitionsRevokedHandler(this::revoked);
    return here(stream.subscribe(topics).timeout(settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS))
        .map(v -> {
          LOG.info("{} reads {} as consumer group {}", consumer, topics, Topics.groupOf(consumer));
          committer.start();
          pollNext();
          return this;
        })
        .recover(failure -> here(kafka.close()).transform(closedAnyway -> Future.failedFuture(failure)));
  }

  // ------------------------------------------------------------------ polling and back-pressure

  private void pollNext() {
    if (closing) {
      return;
    }
    holdOrRelease()
        .compose(v -> here(stream.poll(POLL_TIMEOUT)))
        .onComplete(polled -> {
          if (polled.succeeded()) {
            accept(polled.result());
            pollNext();
          } else {
            LOG.warn("{} could not poll {}, trying again in {} ms: {}", consumer, topics,
                PAUSE_AFTER_FAILED_POLL_MILLIS, polled.cause().toString());
            vertx.setTimer(PAUSE_AFTER_FAILED_POLL_MILLIS, id -> pollNext());
          }
        });
  }

  /** Pauses every assigned partition while the lanes are full or records wait; resumes them after. */
  private Future<Void> holdOrRelease() {
    Set<TopicPartition> assigned = assignment.partitions();
    paused.retainAll(assigned);
    if (!waiting.isEmpty() || !lanes.hasRoom()) {
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

  private void accept(ConsumerRecords<String, byte[]> records) {
    if (closing) {
      return; // never received, never committed: delivered again after a restart or to another node
    }
    for (ConsumerRecord<String, byte[]> record : records) {
      assignment.of(new TopicPartition(record.topic(), record.partition())).ifPresent(offsets -> {
        offsets.received(record.offset());
        waiting.add(new Polled(record, offsets));
      });
    }
    admitWaiting();
  }

  private void admitWaiting() {
    while (!closing && lanes.hasRoom() && !waiting.isEmpty()) {
      Polled next = waiting.remove();
      if (next.offsets().isRevoked()) {
        continue; // its partition's new owner reads it
      }
      ConsumerRecord<String, byte[]> record = next.record();
      lanes.submit(laneOf(record), () -> delivery.handle(record)).onComplete(done -> {
        if (done.succeeded()) {
          next.offsets().handled(record.offset());
        } else if (!(done.cause() instanceof RecordDelivery.LeftForRedelivery)) {
          // a bug, not an outage: the offset stays uncommitted, so the record comes again after a restart
          LOG.error("{} failed on {} and holds its partition's offset there", consumer,
              RecordDelivery.coordinates(record), done.cause());
        }
      });
    }
  }

  /** The ordering key: the record key (the subject); keyless records keep their partition's order. */
  private static String laneOf(ConsumerRecord<String, byte[]> record) {
    return record.key() != null ? record.key() : record.topic() + "-" + record.partition();
  }

  // ------------------------------------------------------------------ rebalances

  private void assigned(Set<TopicPartition> partitions) {
    if (closing) {
      return;
    }
    assignment.assign(partitions);
    LOG.info("{} was assigned {}", consumer, partitions);
  }

  private void revoked(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> last = assignment.revoke(partitions);
    paused.removeAll(partitions);
    waiting.removeIf(polled -> polled.offsets().isRevoked());
    if (closing) {
      return; // close commits, before the consumer is closed
    }
    LOG.info("{} gave up {}", consumer, partitions);
    committer.commit(last);
  }

  // ------------------------------------------------------------------ closing

  /**
   * Stops fetching, lets the records in hand finish (up to {@code drainTimeoutMillis}), commits what
   * was handled, and leaves the group. Records fetched and not handled are delivered again later.
   */
  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    try {
      context.runOnContext(v -> closeOnContext().onComplete(done));
    } catch (RejectedExecutionException vertxClosed) {
      // its Vert.x is gone, and the Kafka consumer with it (closed by the client's close hook)
      done.fail(new IllegalStateException(consumer + " cannot be closed: its Vert.x instance is closed", vertxClosed));
    }
    return done.future();
  }

  /** The longest {@link #close()} takes: the drain, a last commit, leaving the group. */
  long closeTimeoutMillis() {
    return settings.drainTimeoutMillis() + 4L * settings.requestTimeoutMillis() + POLL_TIMEOUT.toMillis()
        + PAUSE_AFTER_FAILED_POLL_MILLIS;
  }

  private Future<Void> closeOnContext() {
    if (closed != null) {
      return closed;
    }
    closing = true;
    delivery.cutShort();
    committer.stop();
    waiting.clear();
    // a poll still under way needs no waiting for: what it brings is dropped, and whatever is asked of
    // the Kafka consumer from now on (the last commit, closing it) queues behind it on the client's thread
    closed = here(lanes.drained().timeout(settings.drainTimeoutMillis(), TimeUnit.MILLISECONDS))
        .recover(timeout -> {
          LOG.warn("{} closing with {} record(s) still in hand after {} ms: they will be delivered again",
              consumer, lanes.admitted(), settings.drainTimeoutMillis());
          return Future.succeededFuture();
        })
        .compose(v -> committer.commitHandled())
        .compose(v -> here(kafka.close().timeout(2L * settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS))
            .recover(failure -> {
              LOG.warn("{} did not leave its consumer group cleanly: {}", consumer, failure.toString());
              return Future.succeededFuture();
            }))
        .onComplete(v -> {
          LOG.info("{} stopped reading {}", consumer, topics);
          onClosed.accept(this);
        });
    return closed;
  }

  /** The state of this subscription is confined to its context: every callback runs there. */
  private <T> Future<T> here(Future<T> future) {
    return KafkaFutures.on(context, future);
  }

  // ------------------------------------------------------------------ observed by tests

  /** Partitions paused for back-pressure right now. */
  Set<TopicPartition> pausedPartitions() {
    return Set.copyOf(paused);
  }

  /** Records polled and waiting for room in the lanes. */
  int waitingRecords() {
    return waiting.size();
  }
}
