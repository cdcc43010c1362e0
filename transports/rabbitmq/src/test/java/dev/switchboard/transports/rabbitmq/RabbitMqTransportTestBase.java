package dev.switchboard.transports.rabbitmq;

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
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.startStream;

/**
 * A virtual host of the real local broker per test class; per test, a fresh Vert.x, a real embedded
 * store and the RabbitMQ transport under test (the RabbitMQ wire under the runtime's delivery engine,
 * as the node makes it), connected. Tests of a class share the virtual host, so
 * each uses consumer names and order ids of its own and looks only at those.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
abstract class RabbitMqTransportTestBase {

  /** Retries of the consumer runner: quick, so that dead letters come fast. */
  static final RetryPolicy RETRY = new RetryPolicy(3, 5, 20);

  private static final AtomicInteger NAMES = new AtomicInteger();

  static RabbitMqBroker broker;

  @TempDir
  Path dir;

  Vertx vertx;
  Context context;
  EventStore store;
  WireTransport transport;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final List<WireTransport> transports = new ArrayList<>();

  @BeforeAll
  static void createTheVirtualHost() {
    broker = RabbitMqBroker.create();
  }

  @AfterAll
  static void deleteTheVirtualHost() {
    broker.close();
  }

  @BeforeEach
  void openStoreAndTransport(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.store = result(TestStores.embedded(vertx, dir));
    this.transport = transport(settings());
  }

  @AfterEach
  void closeEverything() {
    subscriptions.forEach(subscription -> result(subscription.close()));
    transports.forEach(opened -> result(opened.close()));
    result(store.close());
  }

  /** Settings for tests: quick reconnects and retries, so that recoveries show soon. */
  RabbitMqSettings settings() {
    return RabbitMqTestSettings.defaults(broker.uri()).withReconnectIntervalMillis(200).withRetryBackoff(10, 200);
  }

  /** A transport closed after the test, once it answers pings (both connections open). */
  WireTransport transport(RabbitMqSettings settings) {
    WireTransport created = overRabbitMq(vertx, settings);
    transports.add(created);
    awaitReady(created);
    return created;
  }

  /** The RabbitMQ transport as the node makes it: the wire under the runtime's delivery engine. */
  static WireTransport overRabbitMq(Vertx vertx, RabbitMqSettings settings) {
    return new WireTransport(vertx, RabbitMqWire.create(vertx, settings));
  }

  static void awaitReady(WireTransport transport) {
    Await.until("the transport answers pings", () -> transport.ping().toCompletionStage().toCompletableFuture()
        .handle((ok, failure) -> failure == null).join());
  }

  /** A consumer name no other test uses. */
  static String unique(String name) {
    return name + "-" + NAMES.incrementAndGet();
  }

  ConsumerRunner runner(EventConsumer consumer) {
    return new ConsumerRunner(vertx, store, TestStores.schemas(), consumer, RETRY, Clock.systemUTC(),
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

  void close(Subscription subscription) {
    result(subscription.close());
    subscriptions.remove(subscription);
  }

  /** Commits the events as a new stream (so they get their sequences), as a module would. */
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
}
