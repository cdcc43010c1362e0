package dev.switchboard.orders.api;

import dev.switchboard.contracts.InvalidEventData;
import dev.switchboard.contracts.TraceParent;
import dev.switchboard.orders.application.OrderStream;
import dev.switchboard.orders.application.PlacingOrder;
import dev.switchboard.orders.readmodel.CatalogPrices;
import dev.switchboard.orders.readmodel.OrderStatusProjection;
import dev.switchboard.orders.readmodel.OrderView;
import dev.switchboard.orders.readmodel.SagaStates;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.orders.saga.OrderSaga;
import dev.switchboard.runtime.Eventing;
import dev.switchboard.runtime.logging.IntervalLog;
import dev.switchboard.runtime.logging.LogValues;
import dev.switchboard.runtime.store.RefusedByStore;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Subscription;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The orders module: takes orders (over the event bus, from the HTTP edge of any node), runs the
 * order saga and keeps the order read model.
 */
public final class OrdersVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OrdersVerticle.class);
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(10);

  private final IntervalLog storeRefusals = new IntervalLog(LOG, FAILURE_LOG_INTERVAL);
  private final IntervalLog readFailures = new IntervalLog(LOG, FAILURE_LOG_INTERVAL);

  private final Eventing eventing;
  private final List<MessageConsumer<JsonObject>> endpoints = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final List<ProjectionRunner> projections = new ArrayList<>();
  private Runnable sagaGauges = () -> { };
  private OrdersSettings settings;
  private PlacingOrder placing;
  private OrderStream orders;

  public OrdersVerticle(Eventing eventing) {
    this.eventing = eventing;
  }

  @Override
  public Future<?> start() {
    settings = OrdersSettings.from(config());
    orders = new OrderStream(eventing.store(), eventing.events(), eventing.upcasters());
    placing = new PlacingOrder(eventing.store(), eventing.events(), orders, settings.idempotencyKeyTtl(),
        settings.currency());
    endpoints.add(vertx.eventBus().consumer(OrdersApi.PLACE, this::place));
    endpoints.add(vertx.eventBus().consumer(OrdersApi.GET, this::get));
    endpoints.add(vertx.eventBus().consumer(OrdersApi.EVENTS, this::events));
    endpoints.add(vertx.eventBus().consumer(OrdersApi.LIST, this::list));
    return Future.all(endpoints.stream().map(MessageConsumer::completion).toList())
        .compose(v -> eventing.start(new OrderSaga(orders).consumer()))
        .onSuccess(subscriptions::add)
        .compose(v -> eventing.project(OrderStatusProjection.readModel()))
        .onSuccess(projections::add)
        .compose(v -> eventing.project(SagaStates.readModel()))
        .onSuccess(projections::add)
        .compose(v -> eventing.project(CatalogPrices.readModel()))
        .onSuccess(projections::add)
        .onSuccess(v -> sagaGauges = SagaStates.exportGauges(eventing.store().readModels(), eventing.metrics()));
  }

  /** Stops taking requests first, then lets the consumers and the projection finish what is in hand. */
  @Override
  public Future<?> stop() {
    return Future.all(endpoints.stream().map(MessageConsumer::unregister).toList())
        .compose(v -> Future.all(subscriptions.stream().map(Subscription::close).toList()))
        .onComplete(v -> sagaGauges.run())
        .compose(v -> Future.all(projections.stream().map(ProjectionRunner::stop).toList()));
  }

  private void place(Message<JsonObject> message) {
    JsonObject request = message.body();
    PlaceOrderRequest order;
    try {
      order = PlaceOrderRequest.parse(request.getJsonObject("order", new JsonObject()), settings);
    } catch (InvalidRequest invalid) {
      message.fail(400, invalid.toJson().encode());
      return;
    }
    long deadline = request.getLong("deadline", Long.MAX_VALUE);
    if (System.currentTimeMillis() > deadline) {
      // the edge has answered already that the outcome is unknown; placing it now would make a
      // client who looked and found nothing place it twice
      message.fail(503, new JsonObject().put("error", "The order was not placed: it waited too long.").encode());
      return;
    }
    String orderId = request.getString("orderId", eventing.events().newId());
    String key = request.getString("idempotencyKey");
    placing.place(orderId, order, key, TraceParent.parse(request.getString("traceparent")).orElse(null))
        .onSuccess(answer -> message.reply(answer.toJson()))
        .onFailure(failure -> {
          if (failure instanceof PlacingOrder.KeyReused reused) {
            message.fail(422, new JsonObject().put("error", reused.getMessage()).encode());
          } else if (failure instanceof PlacingOrder.PricedOtherwise otherwise) {
            message.fail(409, new InvalidRequest(otherwise.getMessage(), otherwise.problems()).toJson().encode());
          } else if (failure instanceof StoreUnavailable unavailable && unavailable.mayHaveCommitted()) {
            LOG.error("placing order {}: the store did not say whether it committed", orderId, failure);
            message.fail(OrdersApi.OUTCOME_UNKNOWN, OrdersApi.outcomeUnknown(orderId, key != null,
                "the store did not answer whether it stored the order").encode());
          } else if (failure instanceof RefusedByStore || failure instanceof InvalidEventData) {
            // the request passed the checks at the edge, but what it holds cannot be kept: still the request's doing
            LOG.warn("an order was refused by the store: {}", LogValues.escape(failure.getMessage()));
            message.fail(400, new JsonObject().put("error", "The order holds values that cannot be stored.").encode());
          } else {
            if (failure instanceof StoreUnavailable) {
              // a full write queue refuses thousands a second: one line per interval, not a stack trace each
              storeRefusals.warn("placing orders failed, answered 503", failure.getMessage());
            } else {
              LOG.error("placing an order failed", failure);
            }
            message.fail(503, new JsonObject().put("error", "The order could not be stored; try again.").encode());
          }
        });
  }

  private void get(Message<JsonObject> message) {
    String orderId = message.body().getString("orderId");
    String customerId = message.body().getString("customerId");
    view(orderId)
        .onSuccess(found -> {
          // another customer's order answers as an unknown one: its existence is not theirs to learn
          if (found.isEmpty() || !visibleTo(customerId, found.get().getString("customerId"))) {
            message.fail(404, unknown(orderId));
          } else {
            message.reply(found.get());
          }
        })
        .onFailure(failure -> message.fail(503, storeDown(failure)));
  }

  /**
   * The read model's row; for an order the projection has not reached yet (placed a moment ago),
   * the same view computed from the order's own stream, so that a client reads its own writes.
   */
  private Future<Optional<JsonObject>> view(String orderId) {
    return eventing.store().readModels().row(OrderStatusProjection.NAME, orderId).compose(row -> row.isPresent()
        ? Future.succeededFuture(row)
        : eventing.store().readStream(OrderStream.idOf(orderId)).map(stream -> OrderView.of(stream, orders.upcasters())));
  }

  private void list(Message<JsonObject> message) {
    int limit = message.body().getInteger("limit");
    String customerId = message.body().getString("customerId");
    (customerId == null
        ? eventing.store().readModels().recentRows(OrderStatusProjection.NAME, limit)
        : eventing.store().readModels().recentRowsWhere(OrderStatusProjection.NAME, "customerId", customerId, limit))
        .onSuccess(views -> message.reply(new JsonObject().put("items", new JsonArray(views))))
        .onFailure(failure -> message.fail(503, storeDown(failure)));
  }

  private void events(Message<JsonObject> message) {
    String orderId = message.body().getString("orderId");
    String customerId = message.body().getString("customerId");
    eventing.store().readSubject(orderId)
        .onSuccess(stored -> {
          // the log holds other subjects too (products, for one): without its own stream it is no order
          List<StoredEvent> ofTheOrder = stored.stream()
              .filter(event -> event.streamId().equals(OrderStream.idOf(orderId))).toList();
          if (ofTheOrder.isEmpty() || !visibleTo(customerId, OrderView.of(ofTheOrder, orders.upcasters())
              .map(view -> view.getString("customerId")).orElse(null))) {
            message.fail(404, unknown(orderId));
            return;
          }
          boolean latest = OrdersApi.SHAPE_LATEST.equals(message.body().getString("shape"));
          JsonArray events = new JsonArray();
          for (StoredEvent event : stored) {
            events.add((latest ? orders.upcasters().upcast(event.envelope()) : event.envelope()).toJson());
          }
          message.reply(new JsonObject().put("orderId", orderId).put("events", events));
        })
        .onFailure(failure -> message.fail(503, storeDown(failure)));
  }

  /** Whether a reader acting for {@code readerCustomerId} (null: for no one in particular) may see an order. */
  private static boolean visibleTo(String readerCustomerId, String ownerCustomerId) {
    return readerCustomerId == null || readerCustomerId.equals(ownerCustomerId);
  }

  private static String unknown(String orderId) {
    return new JsonObject().put("error", "There is no order " + orderId + ".").encode();
  }

  private String storeDown(Throwable failure) {
    if (failure instanceof StoreUnavailable) {
      readFailures.warn("reading orders failed, answered 503", failure.getMessage());
    } else {
      LOG.error("reading orders failed", failure);
    }
    return new JsonObject().put("error", "Orders cannot be read right now; try again.").encode();
  }
}
