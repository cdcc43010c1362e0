package dev.switchboard.contracts;

import java.util.List;
import java.util.Objects;

import static dev.switchboard.contracts.EventCatalog.INVENTORY_LOW;
import static dev.switchboard.contracts.EventCatalog.ORDER_CANCELLED;
import static dev.switchboard.contracts.EventCatalog.ORDER_CONFIRMED;
import static dev.switchboard.contracts.EventCatalog.ORDER_PLACED;
import static dev.switchboard.contracts.EventCatalog.PAYMENT_AUTHORIZED;
import static dev.switchboard.contracts.EventCatalog.PAYMENT_DECLINED;
import static dev.switchboard.contracts.EventCatalog.STOCK_RESERVED;
import static dev.switchboard.contracts.EventCatalog.STOCK_UNAVAILABLE;

/**
 * Who consumes what: every named consumer of the modules and the event types it subscribes to, the
 * other half of the published catalog.
 *
 * <p>Declared here rather than asked of the consumers because every node serves the catalog,
 * whichever modules it deploys, and contracts may not see the modules' classes. The app's
 * {@code CatalogSubscriptionsTest} holds it to the code (each module's real consumer, and what a node
 * running every module subscribes), so a consumer that starts or stops handling a type fails the build
 * until this list says so.
 */
public final class Subscriptions {

  /**
   * One consumer: the module it belongs to, its name (behind the Kafka consumer group and the RabbitMQ
   * queue, both {@code switchboard.<consumer>}, and the key of its inbox) and the types it handles.
   */
  public record Subscription(String module, String consumer, List<EventType<?>> types) {

    public Subscription {
      Objects.requireNonNull(module, "module");
      Objects.requireNonNull(consumer, "consumer");
      types = List.copyOf(types);
    }

    public boolean consumes(EventType<?> type) {
      return types.contains(type);
    }
  }

  public static final List<Subscription> ALL = List.of(
      new Subscription("orders", "orders-saga", List.of(STOCK_UNAVAILABLE, PAYMENT_AUTHORIZED, PAYMENT_DECLINED)),
      new Subscription("inventory", "inventory", List.of(ORDER_PLACED, PAYMENT_DECLINED)),
      new Subscription("payments", "payments", List.of(ORDER_PLACED, STOCK_RESERVED)),
      new Subscription("notifications", "notifications", List.of(ORDER_CONFIRMED, ORDER_CANCELLED, INVENTORY_LOW)));

  private Subscriptions() {
  }

  /** The consumers of one type, in the order of {@link #ALL}; empty for a type nobody consumes. */
  public static List<Subscription> to(EventType<?> type) {
    return ALL.stream().filter(subscription -> subscription.consumes(type)).toList();
  }
}
