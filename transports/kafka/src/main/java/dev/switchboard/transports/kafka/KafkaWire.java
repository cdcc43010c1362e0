package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.delivery.Incoming;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.ClientFutures;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Source;
import dev.switchboard.runtime.transport.wire.Wire;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Apache Kafka as a wire: one topic for every event ({@code switchboard.events}), records keyed by the
 * message's key (the order id), the body as value, so that each consumer reads every event of an order
 * in the order it was published (the runtime skips the types it does not handle); one consumer group
 * per consumer ({@code switchboard.<consumer>}) and its dead-letter topic
 * ({@code switchboard.<consumer>.dlq}). Foreign clients can produce and consume alongside (DESIGN §5).
 *
 * <p>Sending succeeds once every record is acknowledged by all in-sync replicas (idempotent
 * producer). A broker outage fails sends and pings within their timeouts, and nothing else: the
 * clients reconnect by themselves and the consumers go on from their committed offsets.
 *
 * <p>The producer and the admin client are the Kafka clients' own (their calls are non-blocking, or
 * run off the event loop); the consumers are Vert.x Kafka consumers (see {@link KafkaSource}).
 */
public final class KafkaWire implements Wire {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaWire.class);
  /** Unreadable records are dead-lettered with Kafka's words: "the record has no value". */
  private static final Incoming.Wording WORDING = new Incoming.Wording("record", "value");

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final Admin admin;
  private final TopicProvisioner topics;
  private final KafkaPublisher publisher;
  private final ConsumerGroupLag groupLag;

  private KafkaWire(Vertx vertx, KafkaSettings settings, Admin admin, Producer<String, byte[]> producer) {
    this.vertx = vertx;
    this.settings = settings;
    this.admin = admin;
    this.topics = new TopicProvisioner(admin, settings);
    this.publisher = new KafkaPublisher(producer, topics, settings);
    this.groupLag = new ConsumerGroupLag(admin, settings.requestTimeoutMillis());
  }

  /**
   * Creates the clients; they connect on first use. Fails (an {@link IllegalArgumentException}) on
   * settings that cannot work, e.g. pass-through properties that would weaken a guarantee.
   */
  public static KafkaWire create(Vertx vertx, KafkaSettings settings) {
    Set<String> unknown = ClientConfigs.check(settings);
    if (!unknown.isEmpty()) {
      LOG.warn("transport.kafka.properties {} are known to no Kafka client and are ignored: misspelt?", unknown);
    }
    Admin admin = Admin.create(ClientConfigs.admin(settings));
    Producer<String, byte[]> producer;
    try {
      producer = new KafkaProducer<>(ClientConfigs.producer(settings), new StringSerializer(),
          new ByteArraySerializer());
    } catch (RuntimeException invalid) {
      admin.close(Duration.ZERO);
      throw invalid;
    }
    LOG.info("kafka wire on {} ({}), topics made with {} partition(s), replication factor {}",
        settings.bootstrapServers(), settings.security().protocol(), settings.partitions(),
        settings.replicationFactor());
    return new KafkaWire(vertx, settings, admin, producer);
  }

  @Override
  public String name() {
    return "kafka";
  }

  /** Creates missing topics, then sends; fails with {@link PublishFailed} within the delivery timeout. */
  @Override
  public Future<Void> send(List<Outgoing> messages) {
    return publisher.send(messages.stream().map(OutgoingRecords::toRecord).toList(), vertx.getOrCreateContext());
  }

  /**
   * Creates the consumer's topics and dead-letter topic if missing, then joins its consumer group.
   * Fails if the cluster does not answer within the request timeout.
   */
  @Override
  public Future<Source> open(String consumer, Set<String> types, Handler<Arrival> arrivals) {
    Set<String> read = Topics.forTypes(types);
    if (read.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(consumer + " reads no topic: no type of the catalog in "
          + types));
    }
    Context context = vertx.getOrCreateContext();
    Set<String> needed = new TreeSet<>(read);
    needed.add(Topics.deadLettersOf(consumer));
    return topics.ensure(needed, context)
        .recover(failure -> Future.failedFuture(new IllegalStateException("Kafka at " + settings.bootstrapServers()
            + " did not let " + consumer + " have its topics " + needed + ": " + failure.getMessage(), failure)))
        .compose(v -> KafkaSource.open(vertx, context, consumer, read, settings, arrivals))
        .map(Source.class::cast);
  }

  @Override
  public DeliverySettings delivery() {
    return settings.delivery();
  }

  @Override
  public Incoming.Wording wording() {
    return WORDING;
  }

  /** Succeeds if the cluster answers within {@code pingTimeoutMillis}. */
  @Override
  public Future<Void> ping() {
    Context context = vertx.getOrCreateContext();
    int timeout = settings.pingTimeoutMillis();
    return KafkaFutures.on(context, admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeout)).nodes())
        .timeout(timeout + 500L, TimeUnit.MILLISECONDS)
        .compose(nodes -> nodes.isEmpty()
            ? Future.failedFuture(new IllegalStateException("the Kafka cluster has no broker available"))
            : Future.<Void>succeededFuture())
        .recover(failure -> Future.failedFuture(new IllegalStateException("Kafka at " + settings.bootstrapServers()
            + " does not answer: " + ClientFutures.unwrap(failure).getMessage(), failure)));
  }

  /** The consumer-group lag of each consumer on the topics of its types (see {@link ConsumerGroupLag}). */
  @Override
  public Future<Map<String, Long>> lag(Map<String, Set<String>> consumers) {
    Map<String, Set<String>> topicsByConsumer = new HashMap<>();
    consumers.forEach((consumer, types) -> topicsByConsumer.put(consumer, Topics.forTypes(types)));
    return groupLag.read(topicsByConsumer, vertx.getOrCreateContext())
        .recover(failure -> Future.failedFuture(new IllegalStateException("Kafka at " + settings.bootstrapServers()
            + " did not tell the consumer groups' lag: " + ClientFutures.unwrap(failure).getMessage(), failure)));
  }

  /**
   * Closes the producer (sending what it holds, within the request timeout) and the admin client,
   * on a thread of its own, not a Vert.x worker: closing waits on the network, and must work even
   * when Vert.x is being closed, or is closed, already. Never fails.
   */
  @Override
  public Future<Void> close() {
    Duration timeout = Duration.ofMillis(settings.requestTimeoutMillis());
    CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
      try {
        publisher.closeBlocking();
      } finally {
        admin.close(timeout);
      }
    }, task -> new Thread(task, "switchboard-kafka-wire-close").start());
    return Future.fromCompletionStage(closed).recover(failure -> {
      LOG.warn("the Kafka clients did not close cleanly: {}", ClientFutures.unwrap(failure).toString());
      return Future.succeededFuture();
    });
  }
}
