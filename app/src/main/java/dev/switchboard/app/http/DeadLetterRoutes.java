package dev.switchboard.app.http;

import dev.switchboard.runtime.consumer.DeadLetterReplays;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DeadLetters;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /dead-letters}: list them, replay one (on the node that runs its consumer), discard one.
 */
final class DeadLetterRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRoutes.class);
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final DeadLetters store;
  private final EventBus eventBus;
  private final DeliveryOptions delivery;

  DeadLetterRoutes(DeadLetters store, EventBus eventBus, long requestTimeoutMillis) {
    this.store = store;
    this.eventBus = eventBus;
    this.delivery = new DeliveryOptions().setSendTimeout(requestTimeoutMillis);
  }

  void list(RoutingContext ctx) {
    int limit;
    try {
      String given = ctx.request().getParam("limit");
      limit = given == null ? DEFAULT_LIMIT : Integer.parseInt(given);
    } catch (IllegalArgumentException e) { // not a number, or a query with a broken %-escape
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      ErrorBodies.send(ctx, 400, "The limit is not valid.", "limit", "must be a whole number from 1 to " + MAX_LIMIT);
      return;
    }
    store.deadLetters(limit).onSuccess(letters -> {
      JsonArray items = new JsonArray();
      letters.stream().map(DeadLetter::toJson).forEach(items::add);
      ctx.response().putHeader("Content-Type", ErrorBodies.JSON).end(new JsonObject().put("items", items).encode());
    }).onFailure(failure -> storeDown(ctx, failure));
  }

  void replay(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.findDeadLetter(id).onSuccess(found -> {
      if (found.isEmpty()) {
        ErrorBodies.send(ctx, 404, "There is no dead letter " + id + ".");
        return;
      }
      String consumer = found.get().consumer();
      eventBus.<JsonObject>request(DeadLetterReplays.address(consumer), new JsonObject().put("id", id), delivery)
          .onSuccess(reply -> ctx.response().putHeader("Content-Type", ErrorBodies.JSON).end(reply.body().encode()))
          .onFailure(failure -> {
            if (failure instanceof ReplyException reply) {
              switch (reply.failureType()) {
                case RECIPIENT_FAILURE -> ErrorBodies.send(ctx, reply.failureCode() == 500 ? 503 : reply.failureCode(),
                    reply.getMessage());
                case NO_HANDLERS -> ErrorBodies.send(ctx, 503, "Consumer " + consumer + " is not running; start"
                    + " the module that owns it, then replay.");
                default -> ErrorBodies.send(ctx, 503, "The replay did not finish in time; look at the dead"
                    + " letters again before retrying.");
              }
              return;
            }
            LOG.error("replaying dead letter {} failed", id, failure);
            ErrorBodies.send(ctx, 500, "Internal error.");
          });
    }).onFailure(failure -> storeDown(ctx, failure));
  }

  void discard(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.discardDeadLetter(id).onSuccess(removed -> {
      if (removed) {
        ctx.response().setStatusCode(204).end();
      } else {
        ErrorBodies.send(ctx, 404, "There is no dead letter " + id + ".");
      }
    }).onFailure(failure -> storeDown(ctx, failure));
  }

  private static void storeDown(RoutingContext ctx, Throwable failure) {
    LOG.error("dead letters cannot be read", failure);
    ErrorBodies.send(ctx, 503, "The store cannot be reached right now; try again.");
  }
}
