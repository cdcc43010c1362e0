package dev.switchboard.payments.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.payments.api.PaymentsSettings;
import dev.switchboard.payments.domain.PaymentPolicy;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.List;

/**
 * Payments' consumer: remembers each order's total when it is placed (payments' own projection of
 * what it needs), and authorises or declines it once inventory has reserved the stock.
 */
public final class Authorising {

  public static final String CONSUMER = "payments";
  static final String MODULE = "payments";
  static final String AMOUNTS = "payments-amounts";

  private final EventStore store;
  private final EventFactory events;
  private final PaymentsSettings settings;

  public Authorising(EventStore store, EventFactory events, PaymentsSettings settings) {
    this.store = store;
    this.events = events;
    this.settings = settings;
  }

  public EventConsumer consumer() {
    return EventConsumer.named(CONSUMER)
        .on(EventCatalog.ORDER_PLACED, this::remember)
        .on(EventCatalog.STOCK_RESERVED, this::authorise)
        .build();
  }

  private Future<UnitOfWork> remember(Received<OrderPlaced> event) {
    OrderPlaced order = event.data();
    return Future.succeededFuture(UnitOfWork.NOTHING.and(new DocumentWrite(AMOUNTS, order.orderId(),
        ExpectedVersion.ANY, new JsonObject().put("orderId", order.orderId()).put("amount", order.total()))));
  }

  private Future<UnitOfWork> authorise(Received<StockReserved> event) {
    String orderId = event.data().orderId();
    String stream = Streams.of(MODULE, orderId);
    return store.readStream(stream).compose(history -> {
      if (!history.isEmpty()) {
        return Future.succeededFuture(UnitOfWork.NOTHING); // decided before
      }
      return store.document(AMOUNTS, orderId).map(amount -> {
        if (amount.isEmpty()) {
          // over a broker the reservation may overtake the placement: fail, so that it is retried
          throw new IllegalStateException("the total of order " + orderId + " is not known yet");
        }
        BigDecimal total = new BigDecimal(amount.get().body().getValue("amount").toString());
        Record outcome = PaymentPolicy.authorise(orderId, total, settings.maxAmount());
        return UnitOfWork.of(new StreamAppend(stream, ExpectedVersion.NONE,
            List.of(events.create(outcome, orderId, EventFactory.Cause.of(event.envelope())))));
      });
    });
  }
}
