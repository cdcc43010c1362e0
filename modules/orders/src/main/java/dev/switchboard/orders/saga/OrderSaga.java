package dev.switchboard.orders.saga;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.inventory.StockUnavailable;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.contracts.payments.PaymentDeclined;
import dev.switchboard.orders.application.OrderStream;
import dev.switchboard.orders.domain.Decision;
import dev.switchboard.orders.domain.Order;
import dev.switchboard.orders.domain.OrderCommand;
import dev.switchboard.orders.domain.OrderRejection;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.PoisonEvent;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order saga (process manager): turns what inventory and payments say into the order's end.
 *
 * <pre>
 *   OrderPlaced → StockUnavailable                       → OrderCancelled
 *               → StockReserved → PaymentAuthorized      → OrderConfirmed
 *                               → PaymentDeclined        → OrderCancelled (inventory releases the stock)
 * </pre>
 *
 * Its state is the order's own event stream, and what it has handled is in its inbox, committed with
 * each step: after a crash it resumes where it stopped, and never takes a step twice.
 */
public final class OrderSaga {

  public static final String CONSUMER = "orders-saga";
  private static final Logger LOG = LoggerFactory.getLogger(OrderSaga.class);

  private final OrderStream orders;

  public OrderSaga(OrderStream orders) {
    this.orders = orders;
  }

  public EventConsumer consumer() {
    return EventConsumer.named(CONSUMER)
        .on(EventCatalog.STOCK_UNAVAILABLE, this::on)
        .on(EventCatalog.PAYMENT_AUTHORIZED, this::onAuthorized)
        .on(EventCatalog.PAYMENT_DECLINED, this::onDeclined)
        .build();
  }

  private Future<UnitOfWork> on(Received<StockUnavailable> event) {
    StockUnavailable unavailable = event.data();
    return step(event, new OrderCommand.CancelOrder(unavailable.orderId(), unavailable.reason()));
  }

  private Future<UnitOfWork> onAuthorized(Received<PaymentAuthorized> event) {
    return step(event, new OrderCommand.ConfirmOrder(event.data().orderId(), event.data().amount()));
  }

  private Future<UnitOfWork> onDeclined(Received<PaymentDeclined> event) {
    return step(event, new OrderCommand.CancelOrder(event.data().orderId(), event.data().reason()));
  }

  private Future<UnitOfWork> step(Received<?> event, OrderCommand command) {
    return orders.load(command.orderId()).map(state -> {
      Decision decision = Order.decide(state, command);
      if (decision instanceof Decision.Rejected rejected) {
        if (rejected.rejection() instanceof OrderRejection.UnknownOrder
            || rejected.rejection() instanceof OrderRejection.PaidOtherThanTotal) {
          // the order stays as it is; the event waits in the dead letters for someone to look at it
          throw new PoisonEvent(event.envelope().type() + " cannot be applied: " + rejected.rejection().reason());
        }
        // a final order stays final: the late event is noted and changes nothing
        LOG.atWarn()
            .addKeyValue("eventId", event.envelope().id())
            .addKeyValue("correlationId", event.envelope().correlationid())
            .log("saga ignores {}: {}", event.envelope().type(), rejected.rejection().reason());
        return UnitOfWork.NOTHING;
      }
      Decision.Accepted accepted = (Decision.Accepted) decision;
      if (accepted.events().isEmpty()) {
        return UnitOfWork.NOTHING;
      }
      return UnitOfWork.of(orders.append(state, accepted.events(), EventFactory.Cause.of(event.envelope())));
    });
  }
}
