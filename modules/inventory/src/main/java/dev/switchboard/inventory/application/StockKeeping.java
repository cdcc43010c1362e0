package dev.switchboard.inventory.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.inventory.InventoryLow;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.contracts.payments.PaymentDeclined;
import dev.switchboard.inventory.api.InventorySettings;
import dev.switchboard.inventory.domain.Reservation;
import dev.switchboard.inventory.domain.Stock;
import dev.switchboard.inventory.domain.StockDecision;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Inventory's consumer: reserves stock for each order placed, releases it when payment is declined
 * (the saga's compensation), and raises {@code InventoryLow}. One consumer handles both, in log
 * order, so a release never overtakes its reservation.
 */
public final class StockKeeping {

  public static final String CONSUMER = "inventory";
  static final String MODULE = "inventory";

  private final EventStore store;
  private final EventFactory events;
  private final InventorySettings settings;
  private final StockLevels levels;

  public StockKeeping(EventStore store, EventFactory events, InventorySettings settings) {
    this.store = store;
    this.events = events;
    this.settings = settings;
    this.levels = new StockLevels(store, settings.initialStock());
  }

  public EventConsumer consumer() {
    // orders draw on shared stock: reservations of the same products go one at a time, each decided
    // on the levels the one before committed, so that they do not conflict; orders of other
    // products go side by side
    return EventConsumer.named(CONSUMER)
        .inLanes(StockKeeping::productsOf)
        .on(EventCatalog.ORDER_PLACED, this::reserve)
        .on(EventCatalog.PAYMENT_DECLINED, this::release)
        .build();
  }

  /** The lane of an event: the products an order draws on; a release (rare) has one of its own. */
  static String productsOf(StoredEvent event) {
    JsonArray items = event.envelope().data().getJsonArray("items");
    if (!EventCatalog.ORDER_PLACED.name().equals(event.type()) || items == null) {
      return event.id();
    }
    return items.stream()
        .map(item -> item instanceof JsonObject line ? String.valueOf(line.getValue("productId")) : "?")
        .distinct().sorted().collect(Collectors.joining(","));
  }

  private Future<UnitOfWork> reserve(Received<OrderPlaced> event) {
    OrderPlaced order = event.data();
    List<StockLine> wanted = order.items().stream().map(item -> new StockLine(item.productId(), item.quantity())).toList();
    // the two reads are independent: side by side, one round trip of waiting rather than two
    Future<Reservation> decidedBefore = reservation(order.orderId());
    Future<StockLevels.Snapshot> levelsNow = levels.read(wanted.stream().map(StockLine::productId).toList());
    return Future.all(decidedBefore, levelsNow).map(both -> {
      Reservation reservation = decidedBefore.result();
      if (reservation.status() != Reservation.Status.NONE) {
        return UnitOfWork.NOTHING; // decided before
      }
      StockLevels.Snapshot snapshot = levelsNow.result();
      StockDecision wrongPrice = Stock.refuseWrongPrices(order.orderId(), order.items(), settings.prices());
      StockDecision decision = wrongPrice != null ? wrongPrice
          : Stock.reserve(order.orderId(), wanted, snapshot.available(), settings.lowStockThreshold());
      return write(order.orderId(), reservation, decision, snapshot, event.envelope());
    });
  }

  private Future<UnitOfWork> release(Received<PaymentDeclined> event) {
    String orderId = event.data().orderId();
    return reservation(orderId).compose(reservation -> {
      if (reservation.status() != Reservation.Status.RESERVED) {
        return Future.succeededFuture(UnitOfWork.NOTHING);
      }
      return levels.read(reservation.lines().stream().map(StockLine::productId).toList()).map(snapshot -> {
        StockDecision decision = Stock.release(orderId, reservation, snapshot.available(), event.data().reason());
        return write(orderId, reservation, decision, snapshot, event.envelope());
      });
    });
  }

  private UnitOfWork write(String orderId, Reservation reservation, StockDecision decision,
                           StockLevels.Snapshot snapshot, EventEnvelope cause) {
    EventFactory.Cause because = EventFactory.Cause.of(cause);
    UnitOfWork work = UnitOfWork.of(new StreamAppend(Streams.of(MODULE, orderId), reservation.version(),
        List.of(events.create(decision.orderEvent(), orderId, because))));
    for (InventoryLow low : decision.lowStock()) {
      work = work.and(new StreamAppend(Streams.of(MODULE, low.productId()), ExpectedVersion.ANY,
          List.of(events.create(low, low.productId(), because))));
    }
    for (var write : snapshot.writes(decision.newLevels())) {
      work = work.and(write);
    }
    return work;
  }

  private Future<Reservation> reservation(String orderId) {
    return store.readStream(Streams.of(MODULE, orderId))
        .map(stored -> Reservation.replay(stored.stream().map(event -> EventData.decode(event.envelope())).toList()));
  }
}
