package dev.switchboard.app.catalog;

import dev.switchboard.contracts.EventCatalog;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /catalog}, {@code GET /catalog/{type}} and {@code GET /catalog/asyncapi.json}: the
 * published event catalog, on every node whichever modules it deploys.
 *
 * <p>The documents depend only on what is in the jars, so they are written once, when the routes are
 * made (a missing schema then fails the start, not a request), and every request gets the same bytes.
 */
public final class CatalogRoutes {

  private static final String JSON = "application/json";

  private final Buffer catalog;
  private final Map<String, Buffer> types = new LinkedHashMap<>();
  private final Buffer asyncApi;

  public CatalogRoutes() {
    this(SchemaFiles.load(), ProjectVersion.read());
  }

  CatalogRoutes(SchemaFiles schemas, String version) {
    this.catalog = CatalogDocument.of(schemas).toBuffer();
    EventCatalog.ALL.forEach(type -> types.put(type.name(), CatalogDocument.entry(type, schemas).toBuffer()));
    this.asyncApi = AsyncApiDocument.of(schemas, version).toBuffer();
  }

  public void catalog(RoutingContext ctx) {
    json(ctx, 200, catalog);
  }

  public void type(RoutingContext ctx) {
    String type = ctx.pathParam("type");
    Buffer entry = types.get(type);
    if (entry == null) {
      json(ctx, 404, new JsonObject().put("error", "There is no event type " + type + " in the catalog.").toBuffer());
      return;
    }
    json(ctx, 200, entry);
  }

  public void asyncApi(RoutingContext ctx) {
    json(ctx, 200, asyncApi);
  }

  private static void json(RoutingContext ctx, int status, Buffer body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON).end(body);
  }
}
