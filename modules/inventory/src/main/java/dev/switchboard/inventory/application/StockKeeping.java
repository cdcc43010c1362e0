package dev.switchboard.inventory.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventUpcasters;
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
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreReads;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inventory's consumer: reserves stock for each order placed, releases it when payment is declined
 * (the saga's compensation), and raises {@code InventoryLow}. One consumer handles both, in log
 * order, so a release never overtakes its reservation.
 */
public final class StockKeeping {

  public static final String CONSUMER = "inventory";
  static final String MODULE = "inventory";

  private final StoreReads store;
  private final EventFactory events;
  private final InventorySettings settings;
  private final StockLevels levels;
  private final EventUpcasters upcasters;

  /** @param upcasters how old events are read: the shop's ({@code orders.currency} for an order placed before v2) */
  public StockKeeping(StoreReads store, EventFactory events, InventorySettings settings, EventUpcasters upcasters) {
    this.upcasters = upcasters;
    this.store = store;
    this.events = events;
    this.settings = settings;
    this.levels = new StockLevels(store, settings.initialStock());
  }

  public EventConsumer consumer() {
    // orders draw on shared stock: they are decided in batches, one batch at a time, each on the
    // levels the one before committed, and within a batch one order after another on the levels
    // the ones before it leave; all of a batch's reservations and levels commit together
    return EventConsumer.named(CONSUMER)
        .inBatches(this::decide, EventCatalog.ORDER_PLACED, EventCatalog.PAYMENT_DECLINED)
        .build();
  }

  /**
   * Reads what the batch needs at once (the reservations to release, the levels of every product
   * named), then decides each event in turn, in memory.
   *
   * <p>An order placed is taken as not yet decided, and its reservation is appended as the first
   * event of its stream: were it decided before, the append conflicts, the batch does not commit,
   * and the runtime decides its events again one at a time. Alone, an order's reservation is read
   * first, so that a second delivery of the same order is recognised rather than refused again.
   */
  private Future<UnitOfWork> decide(List<Received<? extends Record>> events) {
    boolean alone = events.size() == 1;
    Map<String, Future<Reservation>> reservations = new LinkedHashMap<>();
    for (Received<? extends Record> event : events) {
      if (event.data() instanceof PaymentDeclined declined) {
        reservations.put(declined.orderId(), reservation(declined.orderId()));
      } else if (alone && event.data() instanceof OrderPlaced placed) {
        reservations.put(placed.orderId(), reservation(placed.orderId()));
      }
    }
    return Future.all(List.copyOf(reservations.values()))
        .compose(read -> {
          Set<String> products = new LinkedHashSet<>();
          for (Received<? extends Record> event : events) {
            if (event.data() instanceof OrderPlaced placed) {
              placed.items().forEach(item -> products.add(item.productId()));
            }
          }
          reservations.values().forEach(reservation -> reservation.result().lines()
              .forEach(line -> products.add(line.productId())));
          return levels.read(products);
        })
        .map(snapshot -> {
          Batch batch = new Batch(snapshot);
          for (Received<? extends Record> event : events) {
            if (event.data() instanceof OrderPlaced placed) {
              batch.reserve(placed, reservationOr(reservations, placed.orderId()), event.envelope());
            } else if (event.data() instanceof PaymentDeclined declined) {
              batch.release(declined, reservationOr(reservations, declined.orderId()), event.envelope());
            }
          }
          return batch.work();
        });
  }

  private static Reservation reservationOr(Map<String, Future<Reservation>> read, String orderId) {
    Future<Reservation> reservation = read.get(orderId);
    return reservation == null ? Reservation.NONE : reservation.result();
  }

  /** The decisions of one batch, each on the levels the ones before it leave. */
  private final class Batch {
    private final StockLevels.Snapshot snapshot;
    private final Map<String, Integer> available;
    private final Map<String, Integer> changed = new LinkedHashMap<>();
    private UnitOfWork work = UnitOfWork.NOTHING;

    Batch(StockLevels.Snapshot snapshot) {
      this.snapshot = snapshot;
      this.available = new HashMap<>(snapshot.available());
    }

    void reserve(OrderPlaced order, Reservation reservation, EventEnvelope cause) {
      if (reservation.status() != Reservation.Status.NONE) {
        return; // decided before
      }
      List<StockLine> wanted = order.items().stream()
          .map(item -> new StockLine(item.productId(), item.quantity())).toList();
      StockDecision wrongPrice = Stock.refuseWrongPrices(order.orderId(), order.items(), settings.prices());
      apply(order.orderId(), reservation, wrongPrice != null ? wrongPrice
          : Stock.reserve(order.orderId(), wanted, available, settings.lowStockThreshold()), cause);
    }

    void release(PaymentDeclined declined, Reservation reservation, EventEnvelope cause) {
      StockDecision decision = Stock.release(declined.orderId(), reservation, available, declined.reason());
      if (decision != null) {
        apply(declined.orderId(), reservation, decision, cause);
      }
    }

    private void apply(String orderId, Reservation reservation, StockDecision decision, EventEnvelope cause) {
      EventFactory.Cause because = EventFactory.Cause.of(cause);
      work = work.and(new StreamAppend(Streams.of(MODULE, orderId), reservation.version(),
          List.of(events.create(decision.orderEvent(), orderId, because))));
      for (InventoryLow low : decision.lowStock()) {
        work = work.and(new StreamAppend(Streams.of(MODULE, low.productId()), ExpectedVersion.ANY,
            List.of(events.create(low, low.productId(), because))));
      }
      available.putAll(decision.newLevels());
      changed.putAll(decision.newLevels());
    }

    /** Every decision's events, and each product's level written once, at the revision read. */
    UnitOfWork work() {
      UnitOfWork all = work;
      for (var write : snapshot.writes(changed)) {
        all = all.and(write);
      }
      return all;
    }
  }

  private Future<Reservation> reservation(String orderId) {
    return store.readStream(Streams.of(MODULE, orderId))
        .map(stored -> Reservation.replay(stored.stream().map(event -> event.data(upcasters)).toList()));
  }
}
