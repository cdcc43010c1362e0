package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.transport.delivery.DeadLetterForwarder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Events over RabbitMQ (DESIGN §5): published to the durable topic exchange {@code switchboard.events}
 * with routing key {@code <module>.<type>}, persistent, the CloudEvent as JSON in the body; each
 * consumer reads its durable queue {@code switchboard.<consumer>}, and its dead letters are copied to
 * {@code switchboard.<consumer>.dlq}. Foreign clients can publish and consume alongside.
 *
 * <p>Two connections, as RabbitMQ advises: one publishes (with publisher confirms), one consumes
 * (manual acknowledgements, bounded QoS), so that a publisher blocked by the broker's flow control
 * never holds up acknowledgements. Both reconnect by themselves, without limit, and declare their
 * topology again each time (see {@link RabbitConnection}).
 *
 * <p>A broker outage fails publishes (the outbox keeps the events and the relay tries again) and
 * readiness checks, at once; subscriptions resume by themselves when it is back.
 */
public final class RabbitMqTransport implements Transport {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitMqTransport.class);

  private final Vertx vertx;
  private final RabbitMqSettings settings;
  private final RabbitConnection publishing;
  private final RabbitConnection consuming;
  private final Publisher publisher;
  private final KnownConsumers known = KnownConsumers.ofCatalog();
  private final Set<RabbitSubscription> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  private RabbitMqTransport(Vertx vertx, RabbitMqSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.publishing = new RabbitConnection(vertx, "publishing", settings);
    this.consuming = new RabbitConnection(vertx, "consuming", settings);
    this.publisher = new Publisher(publishing, settings);
  }

  /** Creates the transport and starts connecting in the background (a broker that is down is tried again). */
  public static RabbitMqTransport create(Vertx vertx, RabbitMqSettings settings) {
    RabbitMqTransport transport = new RabbitMqTransport(vertx, settings);
    transport.publishing.attach(Publisher.topology(transport.known));
    transport.consuming.attach(link -> link.client().basicQos(settings.prefetch())
        .compose(v -> Declarations.exchange(link.client())));
    transport.publishing.start();
    transport.consuming.start();
    LOG.info("rabbitmq transport on {}, prefetch {}{}", settings.broker(), settings.prefetch(),
        settings.usesTls() ? ", over TLS" : "");
    return transport;
  }

  @Override
  public String name() {
    return "rabbitmq";
  }

  @Override
  public Future<Void> publish(List<StoredEvent> events) {
    return publisher.publish(events.stream().map(event -> OutgoingMessage.of(event.envelope())).toList());
  }

  /**
   * Declares the consumer's queues and bindings and starts consuming. Fails if that is not done within
   * the connect and request timeouts (the broker is down, say); the subscription is then closed.
   */
  @Override
  public Future<Subscription> subscribe(String consumer, Set<String> types, Inbound inbound) {
    if (closing) {
      return Future.failedFuture(new IllegalStateException("the RabbitMQ transport is closed"));
    }
    if (Names.bindingKeys(types).isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(consumer + " subscribes to no event type of the catalog: "
          + types));
    }
    types.stream().filter(type -> EventCatalog.byName(type).isEmpty()).forEach(unknown ->
        LOG.warn("{} subscribes to {}, which the catalog does not know: no module to bind its queue to", consumer,
            unknown));
    known.add(consumer, types);
    Context context = vertx.getOrCreateContext();
    RabbitSubscription subscription = new RabbitSubscription(vertx, context, consumer, types, inbound, consuming,
        settings, deadLettersOf(consumer), open::remove);
    open.add(subscription);
    return subscription.start()
        .timeout(settings.connectTimeoutMillis() + settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS)
        .<Subscription>map(subscription)
        .recover(failure -> subscription.close().transform(closed -> Future.failedFuture(new BrokerUnavailable(
            consumer + " could not subscribe to " + Names.queueOf(consumer) + " on RabbitMQ at " + settings.broker()
                + ": " + failure.getMessage(), failure))));
  }

  /** Copies a consumer's dead letters to its queue {@code switchboard.<consumer>.dlq}, through the default exchange. */
  private DeadLetterForwarder deadLettersOf(String consumer) {
    return new DeadLetterForwarder(consumer, Names.deadLetterQueueOf(consumer),
        letter -> publisher.publish(List.of(OutgoingMessage.deadLetter(letter))));
  }

  /**
   * Succeeds if both connections are open and the broker answers within {@code pingTimeoutMillis}. The
   * round trip is made on the consuming connection: on the publishing one it would queue behind the
   * wait for a batch's confirms, and a busy publisher would read as a broker gone.
   */
  @Override
  public Future<Void> ping() {
    return Future.all(publishing.checkOpen(), consuming.ping()).<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(failure instanceof BrokerUnavailable ? failure
            : new BrokerUnavailable("RabbitMQ at " + settings.broker() + " does not answer: " + failure.getMessage(),
                failure)));
  }

  /**
   * The messages ready in the queue of each consumer subscribed here, asked on the consuming
   * connection (see {@link #ping()}).
   */
  @Override
  public Future<Map<String, Long>> consumerLag() {
    List<String> consumers = open.stream().map(RabbitSubscription::consumer).distinct().sorted().toList();
    List<Future<Long>> ready = consumers.stream().map(consumer -> consuming.call(
        client -> Declarations.ready(client, consumer), settings.requestTimeoutMillis())).toList();
    return Future.all(ready)
        .<Map<String, Long>>map(all -> {
          Map<String, Long> lag = new TreeMap<>();
          for (int i = 0; i < consumers.size(); i++) {
            lag.put(consumers.get(i), ready.get(i).result());
          }
          return lag;
        })
        .recover(failure -> Future.failedFuture(failure instanceof BrokerUnavailable ? failure
            : new BrokerUnavailable("RabbitMQ at " + settings.broker() + " did not tell the queues' depths: "
                + failure.getMessage(), failure)));
  }

  /** Closes the subscriptions still open (each lets the messages in hand finish), then both connections. */
  @Override
  public Future<Void> close() {
    closing = true;
    List<Future<Void>> subscriptions = new ArrayList<>();
    open.forEach(subscription -> subscriptions.add(subscription.close()));
    return Future.join(subscriptions)
        .transform(v -> Future.join(publishing.close(), consuming.close()))
        .<Void>mapEmpty()
        .onFailure(failure -> LOG.warn("the RabbitMQ transport did not close cleanly: {}", failure.toString()));
  }
}
