package dev.switchboard.orders.application;

import dev.switchboard.orders.domain.Decision;
import dev.switchboard.orders.domain.Order;
import dev.switchboard.orders.domain.OrderCommand;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.ModuleStore;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

/**
 * Runs a command against an order on its own: load, decide, append at the loaded version. When
 * another writer got there first the append fails with a conflict; the command is then decided
 * again on the new state, up to a bound, so two concurrent commands are never both applied.
 */
public final class OrderCommandHandler {

  private final ModuleStore store;
  private final OrderStream orders;
  private final int attempts;

  public OrderCommandHandler(ModuleStore store, OrderStream orders, int attempts) {
    this.store = store;
    this.orders = orders;
    this.attempts = attempts;
  }

  public Future<Decision> execute(OrderCommand command, EventFactory.Cause cause) {
    return execute(command, cause, 1);
  }

  private Future<Decision> execute(OrderCommand command, EventFactory.Cause cause, int attempt) {
    return orders.load(command.orderId()).compose(state -> {
      Decision decision = Order.decide(state, command);
      if (!(decision instanceof Decision.Accepted accepted) || accepted.events().isEmpty()) {
        return Future.succeededFuture(decision);
      }
      return store.commit(UnitOfWork.of(orders.append(state, accepted.events(), cause)))
          .map(stored -> decision)
          .recover(failure -> failure instanceof ConcurrencyConflict && attempt < attempts
              ? execute(command, cause, attempt + 1)
              : Future.failedFuture(failure));
    });
  }
}
