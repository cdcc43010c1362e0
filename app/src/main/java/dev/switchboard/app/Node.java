package dev.switchboard.app;

import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.app.http.HttpVerticle;
import dev.switchboard.app.security.SecuritySettings;
import dev.switchboard.app.tracing.Tracing;
import dev.switchboard.app.tracing.TracingSettings;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.Eventing;
import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.consumer.InboxRetention;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.metrics.LagMonitor;
import dev.switchboard.runtime.outbox.OutboxRelay;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.Pruning;
import dev.switchboard.runtime.store.StoreFactory;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.transport.TransportFactory;
import dev.switchboard.runtime.transport.delivery.WireTransport;
import dev.switchboard.runtime.transport.wire.WireFactory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * One Switchboard process, assembled from configuration: the store, the transport, the outbox
 * relay, the configured business modules and the HTTP edge.
 *
 * <p>Stops in the reverse order: the HTTP edge first (no new requests), then the modules (each lets
 * the event in hand finish), then the relay, the transport and, last, the store.
 */
public final class Node {

  private static final Logger LOG = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final JsonObject config;
  private final Deque<String> deployments = new ArrayDeque<>();
  private EventStore store;
  private Transport transport;
  private HttpVerticle http;
  private final PrometheusMeterRegistry registry;
  private LagMonitor lagMonitor;
  private Pruning inboxRetention;
  private Pruning documentExpiry;
  private Tracing tracing;

  private Node(Vertx vertx, JsonObject config, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
  }

  /** Starts a node whose metrics are its own (Vert.x's own meters are not in them). */
  public static Future<Node> start(Vertx vertx, JsonObject config) {
    return start(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Starts a node that records its meters in {@code registry} and serves them on {@code /metrics}
   * (give it the registry the Vert.x instance reports to, see {@link NodeVertx}).
   */
  public static Future<Node> start(Vertx vertx, JsonObject config, PrometheusMeterRegistry registry) {
    Node node = new Node(vertx, config, registry);
    // composed, so that a configuration error thrown while starting fails the future like any other
    return Future.succeededFuture().compose(v -> node.startAll()).map(node).recover(failure -> node.stop().transform(v -> Future.failedFuture(failure)));
  }

  /** The port the HTTP API listens on (the configured one, or the one chosen for port 0). */
  public int httpPort() {
    return http.actualPort();
  }

  public EventStore store() {
    return store;
  }

  public Transport transport() {
    return transport;
  }

  private Future<Void> startAll() {
    List<String> modules = config.getJsonArray("modules").stream().map(String::valueOf).toList();
    Modules.checkKnown(modules);
    // before anything opens: a node that would serve everyone without credentials does not start
    SecuritySettings security = SecuritySettings.from(config.getJsonObject("security"),
        config.getJsonObject("http").getString("host"));
    EventSchemas schemas = EventSchemas.load();
    EventUpcasters upcasters = shopUpcasters();
    tracing = Tracing.start(TracingSettings.from(config.getJsonObject("tracing")));
    return openStore(schemas).compose(opened -> {
      store = opened;
      transport = createTransport();
      EventMetrics metrics = new EventMetrics(registry);
      store.observeAppends(metrics::appended);
      LiveEvents.tellOf(store, vertx);
      OutboxRelay relay = new OutboxRelay(vertx, store, transport,
          OutboxRelay.Settings.from(config.getJsonObject("outbox")), metrics);
      lagMonitor = new LagMonitor(vertx, store, transport, relay::backlog, metrics, Clock.systemUTC());
      lagMonitor.start(ConfigSection.of("metrics", config.getJsonObject("metrics")).wholeNumber("lagIntervalMillis"));
      inboxRetention = InboxRetention.pruning(vertx, store::forgetInboxEntriesBefore,
          InboxRetention.Settings.from(config.getJsonObject("consumers").getJsonObject("inbox")), Clock.systemUTC());
      inboxRetention.start();
      documentExpiry = new Pruning(vertx, "expired documents", documentPruneInterval(), Clock.systemUTC(),
          store::forgetExpiredDocuments);
      documentExpiry.start();
      Eventing eventing = new Eventing(vertx, store, transport, schemas, EventFactory.system(tracing.tracer()),
          RetryPolicy.from(config.getJsonObject("consumers").getJsonObject("retry")),
          ProjectionRunner.Settings.from(config.getJsonObject("projections")), metrics,
          ConfigSection.of("consumers.deadLetters", config.getJsonObject("consumers").getJsonObject("deadLetters"))
              .integer("maxRawBytes"), upcasters);
      Future<Void> chain = deploy("outbox-relay", new OutboxRelayVerticle(relay), new JsonObject());
      for (String module : modules) {
        chain = chain.compose(v -> deploy(module, Modules.create(module, eventing),
            config.getJsonObject(module, new JsonObject())));
      }
      http = new HttpVerticle(store, transport, eventing::consumersNotSubscribed, registry, lagMonitor, security);
      return chain.compose(v -> deploy("http", http, config.getJsonObject("http")));
    }).onSuccess(v -> LOG.info("switchboard node started: modules {}, store {}, transport {}, http port {}",
        modules, config.getJsonObject("store").getString("type"), transport.name(), http.actualPort()));
  }

  /**
   * How every module reads old events: an order placed before events named a currency is in the
   * shop's ({@code orders.currency}), whichever module reads it.
   */
  private EventUpcasters shopUpcasters() {
    String currency = config.getJsonObject("orders").getString("currency");
    try {
      return EventUpcasters.forShop(currency);
    } catch (IllegalArgumentException notACurrency) {
      throw new ConfigurationError("orders.currency: " + notACurrency.getMessage());
    }
  }

  private Future<Void> deploy(String name, io.vertx.core.Deployable verticle, JsonObject verticleConfig) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(verticleConfig))
        .onSuccess(deployments::push)
        .onFailure(failure -> LOG.error("{} failed to start: {}", name, failure.getMessage()))
        .mapEmpty();
  }

  private Future<EventStore> openStore(EventSchemas schemas) {
    JsonObject storeConfig = config.getJsonObject("store");
    String type = storeConfig.getString("type");
    StoreFactory store;
    try {
      store = StoreFactory.of(type);
    } catch (IllegalArgumentException unknown) {
      return Future.failedFuture(new ConfigurationError(unknown.getMessage()));
    }
    return store.open(vertx, schemas, storeConfig.getJsonObject(type, new JsonObject()));
  }

  private Transport createTransport() {
    JsonObject transportConfig = config.getJsonObject("transport");
    String type = transportConfig.getString("type");
    JsonObject settings = transportConfig.getJsonObject(type, new JsonObject());
    List<TransportFactory> transports = ServiceLoader.load(TransportFactory.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    List<WireFactory> wires = ServiceLoader.load(WireFactory.class).stream().map(ServiceLoader.Provider::get).toList();
    Optional<TransportFactory> transport = transports.stream().filter(candidate -> candidate.type().equals(type))
        .findFirst();
    if (transport.isPresent()) {
      return transport.get().create(vertx, store, settings);
    }
    // a broker is a wire: the runtime's delivery engine makes it a transport
    WireFactory wire = wires.stream().filter(candidate -> candidate.type().equals(type)).findFirst()
        .orElseThrow(() -> new ConfigurationError("transport.type \"" + type + "\" is unknown; use one of "
            + Stream.concat(transports.stream().map(TransportFactory::type), wires.stream().map(WireFactory::type))
            .sorted().toList()));
    return new WireTransport(vertx, wire.create(vertx, settings));
  }

  /** How often documents past their expiry (an idempotency key's answer) are deleted: {@code store.documents.pruneIntervalMinutes}. */
  private Duration documentPruneInterval() {
    long minutes = ConfigSection.of("store.documents", config.getJsonObject("store").getJsonObject("documents"))
        .wholeNumber("pruneIntervalMinutes");
    if (minutes < 1) {
      throw new IllegalArgumentException("store.documents.pruneIntervalMinutes must be positive, was " + minutes);
    }
    return Duration.ofMinutes(minutes);
  }

  /** Undeploys in reverse order of start, then closes the transport and the store. */
  public Future<Void> stop() {
    if (lagMonitor != null) {
      lagMonitor.stop();
    }
    if (inboxRetention != null) {
      inboxRetention.stop();
    }
    if (documentExpiry != null) {
      documentExpiry.stop();
    }
    Future<Void> chain = Future.succeededFuture();
    while (!deployments.isEmpty()) {
      String id = deployments.pop();
      chain = chain.compose(v -> vertx.undeploy(id).recover(failure -> {
        LOG.warn("stopping deployment {} failed: {}", id, failure.toString());
        return Future.succeededFuture();
      }));
    }
    return chain
        .compose(v -> transport == null ? Future.succeededFuture() : transport.close())
        .compose(v -> store == null ? Future.succeededFuture() : store.close())
        .compose(v -> tracing == null ? Future.succeededFuture() : tracing.close(vertx));
  }
}
