package dev.switchboard.payments.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.TraceParent;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.payments.api.PaymentsSettings;
import dev.switchboard.payments.domain.PaymentPolicy;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.Document;
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
 *
 * <p>Over a broker the placement and the reservation travel on different topics, so either may
 * come first. A reservation that finds no total yet is remembered as waiting, and the decision is
 * made when the placement arrives, caused (and traced) by the reservation all the same.
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
    return store.document(AMOUNTS, order.orderId()).compose(current -> {
      JsonObject known = new JsonObject().put("orderId", order.orderId()).put("amount", order.total());
      long revision = current.map(Document::revision).orElse(ExpectedVersion.NONE);
      DocumentWrite remembered = new DocumentWrite(AMOUNTS, order.orderId(), revision, known);
      JsonObject waiting = current.map(document -> document.body().getJsonObject("waiting")).orElse(null);
      if (waiting == null) {
        return Future.succeededFuture(UnitOfWork.NOTHING.and(remembered));
      }
      // the reservation came first and waits: decide now, as the reservation would have
      EventFactory.Cause cause = new EventFactory.Cause(waiting.getString("correlationId"),
          waiting.getString("eventId"), TraceParent.parse(waiting.getString("traceparent")).orElse(null));
      return decide(order.orderId(), order.total(), cause).map(decision -> decision.and(remembered));
    });
  }

  private Future<UnitOfWork> authorise(Received<StockReserved> event) {
    String orderId = event.data().orderId();
    return store.document(AMOUNTS, orderId).compose(amount -> {
      if (amount.isEmpty() || !amount.get().body().containsKey("amount")) {
        EventEnvelope reservation = event.envelope();
        JsonObject waiting = new JsonObject().put("eventId", reservation.id())
            .put("correlationId", EventFactory.Cause.of(reservation).correlationId())
            .put("traceparent", reservation.traceparent());
        long revision = amount.map(Document::revision).orElse(ExpectedVersion.NONE);
        return Future.succeededFuture(UnitOfWork.NOTHING.and(new DocumentWrite(AMOUNTS, orderId, revision,
            new JsonObject().put("orderId", orderId).put("waiting", waiting))));
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
