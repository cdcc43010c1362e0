package dev.switchboard.app.http;

import dev.switchboard.orders.api.OrdersApi;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /orders}: the HTTP face of the orders module, which it reaches over the event bus (so the
 * module may run on another node). Maps the module's typed failures to HTTP statuses.
 *
 * <p>A customer places orders for itself only, and its reads name it, so that the module answers with
 * its own orders only (another's order is unknown to it: 404).
 */
final class OrdersRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(OrdersRoutes.class);
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
  static final int DEFAULT_LIST_LIMIT = 50;
  static final int MAX_LIST_LIMIT = 1000;

  private final EventBus eventBus;
  private final DeliveryOptions delivery;
  private final long requestTimeoutMillis;
  private final Supplier<String> newOrderId;

  OrdersRoutes(EventBus eventBus, long requestTimeoutMillis, Supplier<String> newOrderId) {
    this.eventBus = eventBus;
    this.delivery = new DeliveryOptions().setSendTimeout(requestTimeoutMillis);
    this.requestTimeoutMillis = requestTimeoutMillis;
    this.newOrderId = newOrderId;
  }

  void place(RoutingContext ctx) {
    JsonObject order;
    try {
      order = ctx.body().asJsonObject();
    } catch (DecodeException e) {
      ErrorBodies.send(ctx, 400, "The request body is not valid JSON.", "(body)", "is not valid JSON");
      return;
    } catch (ClassCastException e) {
      ErrorBodies.send(ctx, 400, "The request body must be a JSON object.", "(body)", "must be a JSON object");
      return;
    }
    if (order == null) {
      ErrorBodies.send(ctx, 400, "The request body is empty.", "(body)", "is required");
      return;
    }
    Optional<String> placesFor = Authentication.caller(ctx).placesOrdersFor();
    if (placesFor.isPresent() && !placesFor.get().equals(order.getValue("customerId"))) {
      ErrorBodies.send(ctx, 403, "A customer may place orders only for itself: customerId must be the token's subject.");
      return;
    }
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
      ErrorBodies.send(ctx, 400, "The Idempotency-Key header is not valid.", IDEMPOTENCY_KEY,
          "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " characters");
      return;
    }
    // the id is chosen here, so that even an answer that comes too late can name the order
    String orderId = newOrderId.get();
    JsonObject request = new JsonObject().put("order", order).put("orderId", orderId)
        .put("deadline", System.currentTimeMillis() + requestTimeoutMillis);
    if (key != null) {
      request.put("idempotencyKey", key);
    }
    // W3C Trace Context: the order's events continue the caller's trace (an invalid header starts a new one)
    String traceparent = ctx.request().getHeader("traceparent");
    if (traceparent != null) {
      request.put("traceparent", traceparent);
    }
    ask(OrdersApi.PLACE, request).onSuccess(reply -> {
      JsonObject answer = reply.body();
      JsonObject body = answer.getJsonObject("body");
      ctx.response()
          .setStatusCode(answer.getInteger("status"))
          .putHeader("Content-Type", ErrorBodies.JSON)
          .putHeader("Location", "/orders/" + body.getString("orderId"))
          .end(body.encode());
    }).onFailure(failure -> {
      if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT) {
        // the request reached the orders module, or may have: it may be placing the order still
        outcomeUnknown(ctx, OrdersApi.outcomeUnknown(orderId, key != null,
            "the orders module did not answer within " + requestTimeoutMillis + " ms"));
      } else if (failure instanceof ReplyException reply && reply.failureCode() == OrdersApi.OUTCOME_UNKNOWN) {
        outcomeUnknown(ctx, new JsonObject(reply.getMessage()));
      } else {
        fail(ctx, failure);
      }
    });
  }

  private static void outcomeUnknown(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Location", "/orders/" + body.getString("orderId"));
    ErrorBodies.send(ctx, OrdersApi.OUTCOME_UNKNOWN, body);
  }

  /** {@code GET /orders?limit=}: the orders changed last, newest first. */
  void list(RoutingContext ctx) {
    int limit;
    try {
      String given = ctx.request().getParam("limit");
      limit = given == null ? DEFAULT_LIST_LIMIT : Integer.parseInt(given);
    } catch (IllegalArgumentException e) { // not a number, or a query with a broken %-escape
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      ErrorBodies.send(ctx, 400, "The limit is not valid.", "limit", "must be a whole number from 1 to " + MAX_LIST_LIMIT);
      return;
    }
    ask(OrdersApi.LIST, scoped(ctx, new JsonObject().put("limit", limit)))
        .onSuccess(reply -> ok(ctx, reply.body()))
        .onFailure(failure -> fail(ctx, failure));
  }

  void get(RoutingContext ctx) {
    ask(OrdersApi.GET, scoped(ctx, new JsonObject().put("orderId", ctx.pathParam("id"))))
        .onSuccess(reply -> ok(ctx, reply.body()))
        .onFailure(failure -> fail(ctx, failure));
  }

  /**
   * {@code GET /orders/{id}/events?shape=}: the order's events as they were stored ({@code stored}, the
   * default), or each upcast to its type's newest version ({@code latest}).
   */
  void events(RoutingContext ctx) {
    String shape = ctx.request().getParam("shape", OrdersApi.SHAPE_STORED);
    if (!shape.equals(OrdersApi.SHAPE_STORED) && !shape.equals(OrdersApi.SHAPE_LATEST)) {
      ErrorBodies.send(ctx, 400, "The shape is not valid.", "shape", "must be " + OrdersApi.SHAPE_STORED
          + " (the events as they were stored) or " + OrdersApi.SHAPE_LATEST + " (each in its type's newest version)");
      return;
    }
    ask(OrdersApi.EVENTS, scoped(ctx, new JsonObject().put("orderId", ctx.pathParam("id")).put("shape", shape)))
        .onSuccess(reply -> ok(ctx, reply.body()))
        .onFailure(failure -> fail(ctx, failure));
  }

  /** The read, limited to the caller's own orders when it may read no others (a customer). */
  private static JsonObject scoped(RoutingContext ctx, JsonObject request) {
    Authentication.caller(ctx).ordersScope().ifPresent(customerId -> request.put("customerId", customerId));
    return request;
  }

  private Future<Message<JsonObject>> ask(String address, JsonObject request) {
    return eventBus.request(address, request, delivery);
  }

  private static void ok(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("Content-Type", ErrorBodies.JSON).end(body.encode());
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case RECIPIENT_FAILURE -> {
          ErrorBodies.send(ctx, reply.failureCode(), new JsonObject(reply.getMessage()));
          return;
        }
        case NO_HANDLERS -> {
          ErrorBodies.send(ctx, 503, "The orders module is not reachable from this node.");
          return;
        }
        case TIMEOUT -> {
          ErrorBodies.send(ctx, 503, "The orders module did not answer in time; try again.");
          return;
        }
        default -> {
        }
      }
    }
    LOG.error("orders request failed", failure);
    ErrorBodies.send(ctx, 500, "Internal error.");
  }
}
