package dev.switchboard.app.http;

import dev.switchboard.app.security.Role;
import dev.switchboard.app.security.SecurityMode;
import dev.switchboard.app.security.SecuritySettings;
import dev.switchboard.app.security.TokenVerifier;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.metrics.LagMonitor;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.transport.Transport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The HTTP API of a node. Every answer is JSON, errors included; no stack trace ever reaches a
 * client. Runs on every node, whichever modules the node deploys. Who may call what is decided here,
 * at the edge (DESIGN §1.2): the modules behind it know nothing of tokens.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final EventStore store;
  private final Transport transport;
  private final Supplier<List<String>> consumersNotSubscribed;
  private final PrometheusMeterRegistry registry;
  private final LagMonitor lag;
  private final SecuritySettings security;
  private TokenVerifier verifier;
  private HttpServer server;
  private long shutdownMillis;

  /** @param consumersNotSubscribed the node's consumers still trying to subscribe: it is not ready while there are any */
  public HttpVerticle(EventStore store, Transport transport, Supplier<List<String>> consumersNotSubscribed,
                      PrometheusMeterRegistry registry, LagMonitor lag, SecuritySettings security) {
    this.store = store;
    this.consumersNotSubscribed = consumersNotSubscribed;
    this.security = security;
    this.transport = transport;
    this.registry = registry;
    this.lag = lag;
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> start() {
    JsonObject http = config();
    ConfigSection section = ConfigSection.of("http", http);
    shutdownMillis = section.wholeNumber("shutdownMillis");
    Future<TokenVerifier> verifying = security.mode() == SecurityMode.JWT
        ? TokenVerifier.start(vertx, security.jwt())
        : Future.succeededFuture(null);
    return verifying.compose(verifier -> {
      this.verifier = verifier;
      // the limits of a hostile network first, then TLS on the same options
      EdgeGuard guard = new EdgeGuard(vertx, http);
      HttpServerOptions options = HttpTls.from(http.getJsonObject("tls")).applyTo(guard.serverOptions());
      return guard.guard(vertx.createHttpServer(options), router(http, verifier))
          .listen(section.integer("port"), section.text("host"));
    }).onSuccess(listening -> server = listening);
  }

  private Router router(JsonObject http, TokenVerifier verifier) {
    ConfigSection section = ConfigSection.of("http", http);
    long maxBody = section.wholeNumber("maxBodyBytes");
    long requestTimeout = section.wholeNumber("requestTimeoutMillis");
    Router router = Router.router(vertx);

    // first, for every request: the right Host, no state change from a foreign page, JSON bodies only
    EdgeSettings edge = EdgeSettings.from(http);
    OriginCheck origins = new OriginCheck(edge);
    router.route().handler(new HostCheck(edge)).handler(origins).handler(new JsonBodiesOnly("/eventbus/"));

    // then who calls, and whether that caller may (DESIGN §1.2); health, catalog and the page stay open
    Authentication authenticated = Authentication.ofApi(verifier);
    Access customers = Access.forRoles(Role.CUSTOMER);
    Access ordersReaders = Access.forRoles(Role.CUSTOMER, Role.OPERATOR);
    Access operators = Access.forRoles(Role.OPERATOR);

    router.get("/session").handler(authenticated).handler(new SessionRoute(security.secured())::describe);

    OrdersRoutes orders = new OrdersRoutes(vertx.eventBus(), requestTimeout, EventFactory.system()::newId);
    // Vert.x wants the body handler first on its route; the body is bounded, and read before the token
    router.post("/orders").handler(BodyHandler.create(false).setBodyLimit(maxBody))
        .handler(authenticated).handler(customers).handler(orders::place);
    router.get("/orders").handler(authenticated).handler(ordersReaders).handler(orders::list);
    router.get("/orders/:id").handler(authenticated).handler(ordersReaders).handler(orders::get);
    router.get("/orders/:id/events").handler(authenticated).handler(ordersReaders).handler(orders::events);

    // operator actions are audited before the role check, so that a refused attempt is on record too
    DeadLetterRoutes deadLetters = new DeadLetterRoutes(store, vertx.eventBus(), requestTimeout);
    router.get("/dead-letters").handler(authenticated).handler(operators).handler(deadLetters::list);
    router.post("/dead-letters/:id/replay").handler(authenticated).handler(AuditLog.of("dead-letter.replay", "id"))
        .handler(operators).handler(deadLetters::replay);
    router.delete("/dead-letters/:id").handler(authenticated).handler(AuditLog.of("dead-letter.discard", "id"))
        .handler(operators).handler(deadLetters::discard);
    ProjectionRoutes projections = new ProjectionRoutes(store, vertx.eventBus());
    router.get("/admin/projections").handler(authenticated).handler(operators).handler(projections::list);
    router.post("/admin/projections/:name/rebuild").handler(authenticated)
        .handler(AuditLog.of("projection.rebuild", "name")).handler(operators).handler(projections::rebuild);
    router.get("/metrics").handler(authenticated).handler(operators).handler(PrometheusScrapingHandler.create(registry));
    // the operations view's figures, as JSON: the last reading of the backlog and lag gauges
    router.get("/admin/status").handler(authenticated).handler(operators)
        .handler(ctx -> ctx.response().putHeader("Content-Type", ErrorBodies.JSON)
            .end(lag.lastReading().put("transport", transport.name()).encode()));

    HealthRoute health = new HealthRoute(vertx, store, transport, consumersNotSubscribed, requestTimeout);
    router.get("/health").handler(health::ready);
    router.get("/health/ready").handler(health::ready);
    router.get("/health/live").handler(health::live);
    dev.switchboard.app.catalog.CatalogRoutes catalog = new dev.switchboard.app.catalog.CatalogRoutes();
    router.get("/catalog").handler(catalog::catalog);
    router.get("/catalog/asyncapi.json").handler(catalog::asyncApi); // before /catalog/:type, which would take it
    router.get("/catalog/:type").handler(catalog::type);

    // the bridge: a browser of another origin is refused, and with tokens on, one without a token
    router.route(EventBusBridge.PATH).handler(origins::anyMethod).handler(Authentication.ofBridge(verifier));
    router.route(EventBusBridge.PATH).subRouter(EventBusBridge.router(vertx));
    LivePage.mount(router);

    // a request Vert.x cannot read (a path with a broken %-escape, say) is the client's mistake, and JSON too
    router.errorHandler(400, ctx -> ErrorBodies.send(ctx, 400, "The request is malformed."));
    router.errorHandler(404, ctx -> ErrorBodies.send(ctx, 404, "There is no such resource: "
        + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, ctx -> ErrorBodies.send(ctx, 405, "Method " + ctx.request().method()
        + " is not allowed on " + ctx.request().path() + "."));
    router.errorHandler(413, ctx -> ErrorBodies.send(ctx, 413, "The request body is larger than "
        + maxBody + " bytes."));
    router.errorHandler(500, ctx -> {
      LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      ErrorBodies.send(ctx, 500, "Internal error.");
    });
    return router;
  }

  /** Stops accepting connections and lets requests in flight finish, up to a bound. */
  @Override
  public Future<?> stop() {
    Future<Void> shutdown = server == null ? Future.succeededFuture() : server.shutdown(shutdownMillis, TimeUnit.MILLISECONDS);
    return shutdown.eventually(() -> verifier == null ? Future.succeededFuture() : verifier.stop());
  }
}
