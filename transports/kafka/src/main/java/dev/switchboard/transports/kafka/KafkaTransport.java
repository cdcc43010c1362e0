package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.transport.delivery.DeadLetterForwarder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Events over Apache Kafka: one topic per producing module ({@code switchboard.<module>}), keyed by
 * the event's subject, the CloudEvent as JSON in the value; one consumer group per consumer
 * ({@code switchboard.<consumer>}). Foreign clients can produce and consume alongside (DESIGN §5).
 *
 * <p>Publishing succeeds once every record is acknowledged by all in-sync replicas (idempotent
 * producer); until then the outbox keeps the events. A broker outage fails publishes and
 * readiness checks within their timeouts, and nothing else: the clients reconnect by themselves
 * and the consumers go on from their committed offsets.
 *
 * <p>The producer and the admin client are the Kafka clients' own (their calls are non-blocking, or
 * run off the event loop); the consumers are Vert.x Kafka consumers (see {@link KafkaSubscription}).
 */
public final class KafkaTransport implements Transport {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaTransport.class);

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final Admin admin;
  private final TopicProvisioner topics;
  private final KafkaPublisher publisher;
  private final ConsumerGroupLag groupLag;
  private final Set<KafkaSubscription> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  private KafkaTransport(Vertx vertx, KafkaSettings settings, Admin admin, Producer<String, String> producer) {
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
  public static KafkaTransport create(Vertx vertx, KafkaSettings settings) {
    Set<String> unknown = ClientConfigs.check(settings);
    if (!unknown.isEmpty()) {
      LOG.warn("transport.kafka.properties {} are known to no Kafka client and are ignored: misspelt?", unknown);
    }
    Admin admin = Admin.create(ClientConfigs.admin(settings));
    Producer<String, String> producer;
    try {
      producer = new KafkaProducer<>(ClientConfigs.producer(settings), new StringSerializer(), new StringSerializer());
    } catch (RuntimeException invalid) {
      admin.close(Duration.ZERO);
      throw invalid;
    }
    LOG.info("kafka transport on {} ({}), topics made with {} partition(s), replication factor {}",
        settings.bootstrapServers(), settings.security().protocol(), settings.partitions(),
        settings.replicationFactor());
    return new KafkaTransport(vertx, settings, admin, producer);
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public Future<Void> publish(List<StoredEvent> events) {
    return publisher.send(events.stream().map(event -> CloudEventRecords.toRecord(event.envelope())).toList(),
        vertx.getOrCreateContext());
  }

  /**
   * Creates the consumer's topics and dead-letter topic if missing, then joins its consumer group.
   * Fails if the cluster does not answer within the request timeout.
   */
  @Override
  public Future<Subscription> subscribe(String consumer, Set<String> types, Inbound inbound) {
    if (closing) {
      return Future.failedFuture(new IllegalStateException("the Kafka transport is closed"));
    }
    Set<String> read = Topics.forTypes(types);
    if (read.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(consumer + " subscribes to no event type of the catalog: "
          + types));
    }
    Context context = vertx.getOrCreateContext();
    Set<String> needed = new TreeSet<>(read);
    needed.add(Topics.deadLettersOf(consumer));
    String deadLetterTopic = Topics.deadLettersOf(consumer);
    DeadLetterForwarder deadLetters = new DeadLetterForwarder(consumer, deadLetterTopic,
        letter -> publisher.send(List.of(CloudEventRecords.deadLetter(deadLetterTopic, letter)), context));
    RecordDelivery.Factory deliveries =
        closingNow -> new RecordDelivery(vertx, context, consumer, types, inbound, deadLetters, closingNow);
    return topics.ensure(needed, context)
        .recover(failure -> Future.failedFuture(new IllegalStateException("Kafka at " + settings.bootstrapServers()
            + " did not let " + consumer + " have its topics " + needed + ": " + failure.getMessage(), failure)))
        .compose(v -> KafkaSubscription.open(vertx, context, consumer, read, settings, deliveries, open::remove))
        .compose(subscription -> {
          open.add(subscription);
          if (closing) { // the transport closed while this one was joining its group
            return closeQuietly(subscription).transform(v -> Future.failedFuture(
                new IllegalStateException("the Kafka transport closed while " + consumer + " was subscribing")));
          }
          return Future.succeededFuture(subscription);
        });
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
            + " does not answer: " + KafkaFutures.unwrap(failure).getMessage(), failure)));
  }

  /** The consumer-group lag of each consumer subscribed here (see {@link ConsumerGroupLag}). */
  @Override
  public Future<Map<String, Long>> consumerLag() {
    Map<String, Set<String>> topicsByConsumer = new HashMap<>();
    open.forEach(subscription -> topicsByConsumer.merge(subscription.consumer(), subscription.topics(), (a, b) -> {
      Set<String> both = new TreeSet<>(a);
      both.addAll(b);
      return both;
    }));
    return groupLag.read(topicsByConsumer, vertx.getOrCreateContext())
        .recover(failure -> Future.failedFuture(new IllegalStateException("Kafka at " + settings.bootstrapServers()
            + " did not tell the consumer groups' lag: " + KafkaFutures.unwrap(failure).getMessage(), failure)));
  }

  /**
   * Closes the subscriptions still open (each lets its records in hand finish), then the producer
   * (sending what it holds, within the request timeout) and the admin client. Never fails.
   */
  @Override
  public Future<Void> close() {
    closing = true;
    List<Future<Void>> subscriptions = new ArrayList<>();
    open.forEach(subscription -> subscriptions.add(closeQuietly(subscription)));
    return Future.join(subscriptions).transform(v -> closeClients());
  }

  private static Future<Void> closeQuietly(KafkaSubscription subscription) {
    return subscription.close()
        .timeout(subscription.closeTimeoutMillis(), TimeUnit.MILLISECONDS)
        .recover(failure -> {
          LOG.warn("{} did not close cleanly: {}", subscription.consumer(), failure.toString());
          return Future.succeededFuture();
        });
  }

  /**
   * On a thread of its own, not a Vert.x worker: closing waits on the network (within the request
   * timeout), and must work even when Vert.x is being closed, or is closed, already.
   */
  private Future<Void> closeClients() {
    Duration timeout = Duration.ofMillis(settings.requestTimeoutMillis());
    CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
      try {
        publisher.closeBlocking();
      } finally {
        admin.close(timeout);
      }
    }, task -> new Thread(task, "switchboard-kafka-transport-close").start());
    return Future.fromCompletionStage(closed).recover(failure -> {
      LOG.warn("the Kafka clients did not close cleanly: {}", KafkaFutures.unwrap(failure).toString());
      return Future.succeededFuture();
    });
  }
}
