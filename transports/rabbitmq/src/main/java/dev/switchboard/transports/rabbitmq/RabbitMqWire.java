package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.transport.delivery.Incoming;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Source;
import dev.switchboard.runtime.transport.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * RabbitMQ as a wire (DESIGN §5): events are published to the durable topic exchange
 * {@code switchboard.events} with routing key {@code <module>.<type>}, persistent; each consumer reads
 * its durable queue {@code switchboard.<consumer>}, and its dead letters are copied to
 * {@code switchboard.<consumer>.dlq}. Foreign clients can publish and consume alongside.
 *
 * <p>Two connections, as RabbitMQ advises: one publishes (with publisher confirms), one consumes
 * (manual acknowledgements, QoS of the in-flight bound), so that a publisher blocked by the broker's
 * flow control never holds up acknowledgements. Both reconnect by themselves, without limit, and
 * declare their topology again each time (see {@link RabbitConnection}).
 *
 * <p>A broker outage fails sends (the outbox keeps the events and the relay tries again), readiness
 * checks and lag, at once; sources go on consuming by themselves when it is back.
 */
public final class RabbitMqWire implements Wire {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitMqWire.class);
  /** Unreadable messages are dead-lettered with AMQP's words: "the message has no body". */
  private static final Incoming.Wording WORDING = new Incoming.Wording("message", "body");

  private final RabbitMqSettings settings;
  private final Vertx vertx;
  private final RabbitConnection publishing;
  private final RabbitConnection consuming;
  private final Publisher publisher;
  private final KnownConsumers known = KnownConsumers.ofCatalog();

  private RabbitMqWire(Vertx vertx, RabbitMqSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.publishing = new RabbitConnection(vertx, "publishing", settings);
    this.consuming = new RabbitConnection(vertx, "consuming", settings);
    this.publisher = new Publisher(publishing, settings);
  }

  /** Creates the wire and starts connecting in the background (a broker that is down is tried again). */
  public static RabbitMqWire create(Vertx vertx, RabbitMqSettings settings) {
    RabbitMqWire wire = new RabbitMqWire(vertx, settings);
    wire.publishing.attach(Publisher.topology(wire.known));
    wire.consuming.attach(link -> link.client().basicQos(settings.prefetch())
        .compose(v -> Declarations.exchange(link.client())));
    wire.publishing.start();
    wire.consuming.start();
    LOG.info("rabbitmq wire on {}, prefetch {}{}", settings.broker(), settings.prefetch(),
        settings.usesTls() ? ", over TLS" : "");
    return wire;
  }

  @Override
  public String name() {
    return "rabbitmq";
  }

  @Override
  public Future<Void> send(List<Outgoing> messages) {
    return publisher.publish(messages.stream().map(OutgoingMessage::of).toList());
  }

  /**
   * Declares the consumer's queues and bindings and starts consuming. Fails if that is not done within
   * the connect and request timeouts (the broker is down, say).
   */
  @Override
  public Future<Source> open(String consumer, Set<String> types, Handler<Arrival> arrivals) {
    if (Names.bindingKeys(types).isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(consumer + " subscribes to no event type of the catalog: "
          + types + "; no module to bind its queue to"));
    }
    known.add(consumer, types);
    RabbitSource source = new RabbitSource(vertx, consumer, types, consuming, settings.prefetch(), arrivals);
    return source.start()
        .timeout(settings.connectTimeoutMillis() + settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS)
        .<Source>map(source)
        .recover(failure -> source.close().transform(closed -> Future.failedFuture(new BrokerUnavailable(
            consumer + " could not consume " + Names.queueOf(consumer) + " on RabbitMQ at " + settings.broker()
                + ": " + failure.getMessage(), failure))));
  }

  /** The prefetch, the retry backoff and the drain timeout of the settings. */
  @Override
  public DeliverySettings delivery() {
    return settings.delivery();
  }

  @Override
  public Incoming.Wording wording() {
    return WORDING;
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
   * The messages ready in each consumer's queue (not those delivered and awaiting their
   * acknowledgement), asked on the consuming connection (see {@link #ping()}).
   */
  @Override
  public Future<Map<String, Long>> lag(Map<String, Set<String>> asked) {
    List<String> consumers = List.copyOf(asked.keySet());
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

  /** Closes both connections. Never fails. */
  @Override
  public Future<Void> close() {
    return Future.join(publishing.close(), consuming.close())
        .<Void>mapEmpty()
        .recover(failure -> {
          LOG.warn("the RabbitMQ wire did not close cleanly: {}", failure.toString());
          return Future.succeededFuture();
        });
  }
}
