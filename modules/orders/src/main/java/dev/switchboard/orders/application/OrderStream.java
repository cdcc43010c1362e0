package dev.switchboard.orders.application;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.orders.domain.Order;
import dev.switchboard.orders.domain.OrderState;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.StoreReads;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import io.vertx.core.Future;

import java.util.List;

/** Loads an order from its stream and turns decided events into an append guarded by its version. */
public final class OrderStream {

  public static final String MODULE = "orders";

  private final StoreReads store;
  private final EventFactory events;
  private final EventUpcasters upcasters;

  /** @param upcasters how its old events are read: the shop's ({@code orders.currency} for orders before v2) */
  public OrderStream(StoreReads store, EventFactory events, EventUpcasters upcasters) {
    this.store = store;
    this.events = events;
    this.upcasters = upcasters;
  }

  /** How events of older versions are read here: as the newest, the only shape the order knows. */
  public EventUpcasters upcasters() {
    return upcasters;
  }

  public static String idOf(String orderId) {
    return Streams.of(MODULE, orderId);
  }

  public Future<OrderState> load(String orderId) {
    return store.readStream(idOf(orderId)).map(stored ->
        Order.replay(orderId, stored.stream().map(event -> event.data(upcasters)).toList()));
  }

  public StreamAppend append(OrderState state, List<Record> decided, EventFactory.Cause cause) {
    List<EventEnvelope> envelopes = decided.stream()
        .map(event -> events.create(event, state.orderId(), cause))
        .toList();
    return new StreamAppend(idOf(state.orderId()), state.version(), envelopes);
  }
}
