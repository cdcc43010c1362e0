package dev.switchboard.app.http;

import dev.switchboard.runtime.metrics.LagMonitor;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.transport.Transport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The HTTP API of a node. Every answer is JSON, errors included; no stack trace ever reaches a
 * client. Runs on every node, whichever modules the node deploys.
 */
public final class HttpVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);

  private final EventStore store;
  private final Transport transport;
  private final PrometheusMeterRegistry registry;
  private final LagMonitor lag;
  private HttpServer server;
  private long shutdownMillis;

  public HttpVerticle(EventStore store, Transport transport, PrometheusMeterRegistry registry, LagMonitor lag) {
    this.store = store;
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
    long maxBody = http.getLong("maxBodyBytes", 65_536L);
    long requestTimeout = http.getLong("requestTimeoutMillis", 10_000L);
    shutdownMillis = http.getLong("shutdownMillis", 10_000L);

    Router router = Router.router(vertx);
    OrdersRoutes orders = new OrdersRoutes(vertx.eventBus(), requestTimeout);
    router.post("/orders")
        .handler(BodyHandler.create(false).setBodyLimit(maxBody))
        .handler(orders::place);
    router.get("/orders").handler(orders::list);
    router.get("/orders/:id").handler(orders::get);
    router.get("/orders/:id/events").handler(orders::events);
    DeadLetterRoutes deadLetters = new DeadLetterRoutes(store, vertx.eventBus(), requestTimeout);
    router.get("/dead-letters").handler(deadLetters::list);
    router.post("/dead-letters/:id/replay").handler(deadLetters::replay);
    router.delete("/dead-letters/:id").handler(deadLetters::discard);
    ProjectionRoutes projections = new ProjectionRoutes(store, vertx.eventBus());
    router.get("/admin/projections").handler(projections::list);
    router.post("/admin/projections/:name/rebuild").handler(projections::rebuild);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    // the operations view's figures, as JSON: the last reading of the backlog and lag gauges
    router.get("/admin/status").handler(ctx -> ctx.response().putHeader("Content-Type", ErrorBodies.JSON)
        .end(lag.lastReading().put("transport", transport.name()).encode()));
    HealthRoute health = new HealthRoute(vertx, store, transport, requestTimeout);
    router.get("/health").handler(health::ready);
    router.get("/health/ready").handler(health::ready);
    router.get("/health/live").handler(health::live);
    dev.switchboard.app.catalog.CatalogRoutes catalog = new dev.switchboard.app.catalog.CatalogRoutes();
    router.get("/catalog").handler(catalog::catalog);
    router.get("/catalog/asyncapi.json").handler(catalog::asyncApi); // before /catalog/:type, which would take it
    router.get("/catalog/:type").handler(catalog::type);
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

    EdgeGuard guard = new EdgeGuard(vertx, http);
    return guard.guard(vertx.createHttpServer(guard.serverOptions()), router)
        .listen(http.getInteger("port", 8080), http.getString("host", "0.0.0.0"))
        .onSuccess(listening -> server = listening);
  }

  /** Stops accepting connections and lets requests in flight finish, up to a bound. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(shutdownMillis, TimeUnit.MILLISECONDS);
  }
}
