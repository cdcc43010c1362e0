package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.delivery.WireTransport;
import dev.switchboard.transports.kafka.testing.KafkaBroker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.startStream;

/**
 * One real broker per test class; per test, a fresh Vert.x, a real embedded store and the Kafka
 * transport under test: the Kafka wire in the runtime's delivery engine, as a node makes it. Tests of a class share the broker and its topics, so each test uses
 * consumer names and order ids of its own and looks only at those.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class KafkaTransportTestBase {

  /** Retries of the consumer runner: quick, so that dead letters come fast. */
  static final RetryPolicy RETRY = new RetryPolicy(3, 5, 20);

  private static final AtomicInteger NAMES = new AtomicInteger();

  static KafkaBroker broker;
  static ForeignClients foreign;

  @TempDir
  Path dir;

  Vertx vertx;
  Context context;
  EventStore store;
  WireTransport transport;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final List<WireTransport> transports = new ArrayList<>();

  @BeforeAll
  static void startTheBroker() {
    broker = new KafkaBroker().start();
    foreign = new ForeignClients(broker.bootstrapServers());
  }

  @AfterAll
  static void stopTheBroker() {
    broker.close();
  }

  @BeforeEach
  void openStoreAndTransport(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.store = result(TestStores.embedded(vertx, dir));
    this.transport = transport(vertx, settings());
  }

  @AfterEach
  void closeEverything() {
    subscriptions.forEach(subscription -> Await.result(subscription.close()));
    transports.forEach(opened -> Await.result(opened.close()));
    result(store.close());
  }

  /** Settings for tests: short timeouts, so that failures show quickly. */
  KafkaSettings settings() {
    return settings(new JsonObject());
  }

  /** {@link #settings()} with some keys of {@code transport.kafka} changed. */
  KafkaSettings settings(JsonObject overrides) {
    return KafkaTestSettings.from(new JsonObject()
        .put("bootstrapServers", broker.bootstrapServers())
        .put("requestTimeoutMillis", 5_000)
        .put("deliveryTimeoutMillis", 10_000)
        .mergeIn(overrides));
  }

  WireTransport transport(Vertx on, KafkaSettings settings) {
    WireTransport created = kafkaTransport(on, settings);
    transports.add(created);
    return created;
  }

  /** The Kafka transport as a node makes it: the wire in the runtime's delivery engine. Not closed after the test. */
  static WireTransport kafkaTransport(Vertx on, KafkaSettings settings) {
    return new WireTransport(on, KafkaWire.create(on, settings));
  }

  /** A consumer name no other test uses, so its consumer group starts from the beginning of the topics. */
  static String unique(String name) {
    return name + "-" + NAMES.incrementAndGet() + "-" + ProcessHandle.current().pid();
  }

  ConsumerRunner runner(EventConsumer consumer) {
    return runner(vertx, consumer);
  }

  ConsumerRunner runner(Vertx on, EventConsumer consumer) {
    return new ConsumerRunner(on, store, TestStores.schemas(), consumer, RETRY, Clock.systemUTC(),
        DefaultShop.upcasters());
  }

  /** Subscribes on the test's context; closed after the test. */
  Subscription subscribe(WireTransport over, String consumer, Set<String> types, Inbound inbound) {
    Subscription subscription = Await.onContext(context, () -> over.subscribe(consumer, types, inbound));
    subscriptions.add(subscription);
    return subscription;
  }

  Subscription subscribe(EventConsumer consumer, Inbound inbound) {
    return subscribe(transport, consumer.name(), consumer.types(), inbound);
  }

  Subscription subscribe(EventConsumer consumer) {
    return subscribe(consumer, runner(consumer));
  }

  /** Commits the events as a new stream (the first) or after what their stream holds, as a module would. */
  List<StoredEvent> commitNew(EventEnvelope... events) {
    return result(store.commit(startStream(events)));
  }

  List<StoredEvent> commitMore(EventEnvelope... events) {
    return result(store.commit(appendAny(events)));
  }

  void publish(List<StoredEvent> events) {
    Await.onContext(context, () -> transport.publish(events));
  }

  static List<String> ids(List<StoredEvent> events) {
    return events.stream().map(StoredEvent::id).toList();
  }

  /** Whether a group has committed, on every partition of the topic, the end of it. */
  static boolean committedEverything(String group, String topic) {
    Map<TopicPartition, Long> end = foreign.endOffsets(topic);
    Map<TopicPartition, Long> committed = foreign.committedOffsets(group);
    return end.entrySet().stream()
        .allMatch(partition -> partition.getValue() == 0 || partition.getValue().equals(committed.get(partition.getKey())));
  }
}
