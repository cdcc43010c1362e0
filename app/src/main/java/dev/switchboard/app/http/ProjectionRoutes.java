package dev.switchboard.app.http;

import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code /admin/projections}: where each read model stands (position, lag behind the log, whether a
 * rebuild is under way), and a rebuild from position zero while it keeps serving.
 *
 * <p>Both answer from the store, so they work on any node: a rebuild is recorded there and the
 * runners of the projection, wherever they run, are told on the event bus (and would find it at
 * their next poll anyway).
 */
final class ProjectionRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRoutes.class);

  private final ReadModelStore readModels;
  private final EventBus eventBus;

  ProjectionRoutes(EventStore store, EventBus eventBus) {
    this.readModels = store.readModels();
    this.eventBus = eventBus;
  }

  void list(RoutingContext ctx) {
    Future.all(readModels.head(), readModels.states()).onSuccess(both -> {
      long head = both.resultAt(0);
      List<ProjectionState> states = both.resultAt(1);
      JsonArray items = new JsonArray();
      states.forEach(state -> items.add(describe(state, head)));
      ctx.response().putHeader("Content-Type", ErrorBodies.JSON)
          .end(new JsonObject().put("head", head).put("items", items).encode());
    }).onFailure(failure -> storeDown(ctx, failure));
  }

  void rebuild(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    readModels.state(name).compose(known -> {
      if (known.isEmpty()) {
        ErrorBodies.send(ctx, 404, "There is no projection " + name + ".");
        return Future.succeededFuture();
      }
      return readModels.beginRebuild(name).compose(state -> readModels.head().map(head -> {
        LOG.info("projection {}: rebuild of generation {} requested", name,
            state.rebuild().orElseThrow().generation());
        eventBus.publish(ProjectionRunner.CHANGED_ADDRESS, name);
        ctx.response().setStatusCode(202).putHeader("Content-Type", ErrorBodies.JSON)
            .end(describe(state, head).encode());
        return null;
      }));
    }).onFailure(failure -> storeDown(ctx, failure));
  }

  /** {@code {name, state, generation, position, lag, rebuild?: {generation, position, lag}}}. */
  static JsonObject describe(ProjectionState state, long head) {
    JsonObject json = new JsonObject()
        .put("name", state.name())
        .put("state", state.rebuilding() ? "REBUILDING" : "LIVE")
        .put("generation", state.generation())
        .put("position", state.position())
        .put("lag", Math.max(0, head - state.position()));
    state.rebuild().ifPresent(rebuild -> json.put("rebuild", new JsonObject()
        .put("generation", rebuild.generation())
        .put("position", rebuild.position())
        .put("lag", Math.max(0, head - rebuild.position()))));
    return json;
  }

  private static void storeDown(RoutingContext ctx, Throwable failure) {
    LOG.error("projections cannot be read", failure);
    if (!ctx.response().ended()) {
      ErrorBodies.send(ctx, 503, "The store cannot be reached right now; try again.");
    }
  }
}
