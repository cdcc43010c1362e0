package dev.switchboard.payments.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.payments.api.PaymentsSettings;
import dev.switchboard.payments.domain.PaymentPolicy;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.PoisonEvent;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreReads;
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
 *
 * <p>Every transport hands a consumer an order's events in log order, where the placement comes
 * before the reservation it caused: a reservation finds the total remembered. One that does not
 * (the placement was dead-lettered here, say) can never be decided and is dead-lettered at once,
 * naming what is missing; replaying the placement, then the reservation, decides it.
 */
public final class Authorising {

  public static final String CONSUMER = "payments";
  static final String MODULE = "payments";
  static final String AMOUNTS = "payments-amounts";

  private final StoreReads store;
  private final EventFactory events;
  private final PaymentsSettings settings;

  public Authorising(StoreReads store, EventFactory events, PaymentsSettings settings) {
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
    return store.document(AMOUNTS, order.orderId()).map(current -> {
      JsonObject known = new JsonObject().put("orderId", order.orderId()).put("amount", order.total());
      long revision = current.map(Document::revision).orElse(ExpectedVersion.NONE);
      return UnitOfWork.NOTHING.and(new DocumentWrite(AMOUNTS, order.orderId(), revision, known));
    });
  }

  private Future<UnitOfWork> authorise(Received<StockReserved> event) {
    String orderId = event.data().orderId();
    return store.document(AMOUNTS, orderId).compose(amount -> {
      if (amount.isEmpty() || !amount.get().body().containsKey("amount")) {
        return Future.failedFuture(new PoisonEvent("payments knows no total of order " + orderId + ": its OrderPlaced"
            + " was not handled here (see the dead letters); replay it, then this reservation"));
      }
      BigDecimal total = new BigDecimal(amount.get().body().getValue("amount").toString());
      return decide(orderId, total, EventFactory.Cause.of(event.envelope()));
    });
  }

  /** The payment's outcome, once per order: a decision made before stands. */
  private Future<UnitOfWork> decide(String orderId, BigDecimal total, EventFactory.Cause cause) {
    String stream = Streams.of(MODULE, orderId);
    return store.readStream(stream).map(history -> {
      if (!history.isEmpty()) {
        return UnitOfWork.NOTHING;
      }
      Record outcome = PaymentPolicy.authorise(orderId, total, settings.maxAmount());
      return UnitOfWork.of(new StreamAppend(stream, ExpectedVersion.NONE,
          List.of(events.create(outcome, orderId, cause))));
    });
  }
}
