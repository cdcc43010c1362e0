package dev.switchboard.orders.readmodel;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.orders.api.OrdersApi;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Keeps the order read model in step with the order events, and tells browsers of each change.
 * The document carries the stream sequence it reflects, so replays and duplicates change nothing.
 */
public final class OrderStatusProjection {

  public static final String CONSUMER = "orders-view";

  private final EventStore store;

  public OrderStatusProjection(EventStore store) {
    this.store = store;
  }

  public EventConsumer consumer() {
    return EventConsumer.named(CONSUMER)
        .on(EventCatalog.ORDER_PLACED, this::on)
        .on(EventCatalog.ORDER_CONFIRMED, event -> update(event,
            (current, sequence) -> OrderView.confirmed(current, event.data(), event.envelope().time(), sequence)))
        .on(EventCatalog.ORDER_CANCELLED, event -> update(event,
            (current, sequence) -> OrderView.cancelled(current, event.data(), event.envelope().time(), sequence)))
        .build();
  }

  private Future<UnitOfWork> on(Received<OrderPlaced> event) {
    long sequence = event.envelope().sequence();
    return store.document(OrderView.COLLECTION, event.subject()).map(current -> {
      if (current.isPresent()) {
        return UnitOfWork.NOTHING; // written already, with the order itself
      }
      JsonObject document = OrderView.placed(event.data(), event.envelope().time(), sequence);
      return UnitOfWork.NOTHING
          .and(new DocumentWrite(OrderView.COLLECTION, event.subject(), ExpectedVersion.NONE, document))
          .andNotify(OrdersApi.STATUS, OrderView.statusChange(document));
    });
  }

  private <T extends Record> Future<UnitOfWork> update(Received<T> event,
                                                       BiFunction<JsonObject, Long, JsonObject> change) {
    long sequence = event.envelope().sequence();
    return store.document(OrderView.COLLECTION, event.subject()).map((Optional<Document> current) -> {
      if (current.isEmpty()) {
        // the placement is always older in the log, so it is never missing for long
        throw new IllegalStateException("no read model yet for order " + event.subject());
      }
      Document document = current.get();
      if (OrderView.sequence(document.body()) >= sequence) {
        return UnitOfWork.NOTHING;
      }
      JsonObject updated = change.apply(document.body(), sequence);
      return UnitOfWork.NOTHING
          .and(new DocumentWrite(OrderView.COLLECTION, event.subject(), document.revision(), updated))
          .andNotify(OrdersApi.STATUS, OrderView.statusChange(updated));
    });
  }
}
