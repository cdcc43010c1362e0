package dev.switchboard.contracts;

import dev.switchboard.contracts.inventory.InventoryLow;
import dev.switchboard.contracts.inventory.ProductPriced;
import dev.switchboard.contracts.inventory.StockReleased;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.inventory.StockUnavailable;
import dev.switchboard.contracts.notifications.NotificationSent;
import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.contracts.payments.PaymentDeclined;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type Switchboard knows: the published contract between modules. */
public final class EventCatalog {

  /** v2: currency and shipping address. */
  public static final EventType<OrderPlaced> ORDER_PLACED =
      evolved("OrderPlaced", "orders", 2, CompatibilityMode.FULL, OrderPlaced.class);
  public static final EventType<OrderConfirmed> ORDER_CONFIRMED =
      v1("OrderConfirmed", "orders", OrderConfirmed.class);
  public static final EventType<OrderCancelled> ORDER_CANCELLED =
      v1("OrderCancelled", "orders", OrderCancelled.class);

  public static final EventType<StockReserved> STOCK_RESERVED =
      v1("StockReserved", "inventory", StockReserved.class);
  public static final EventType<StockUnavailable> STOCK_UNAVAILABLE =
      v1("StockUnavailable", "inventory", StockUnavailable.class);
  public static final EventType<StockReleased> STOCK_RELEASED =
      v1("StockReleased", "inventory", StockReleased.class);
  public static final EventType<InventoryLow> INVENTORY_LOW =
      v1("InventoryLow", "inventory", InventoryLow.class);
  public static final EventType<ProductPriced> PRODUCT_PRICED =
      v1("ProductPriced", "inventory", ProductPriced.class);

  public static final EventType<PaymentAuthorized> PAYMENT_AUTHORIZED =
      v1("PaymentAuthorized", "payments", PaymentAuthorized.class);
  /** v2: a reason code for machines. */
  public static final EventType<PaymentDeclined> PAYMENT_DECLINED =
      evolved("PaymentDeclined", "payments", 2, CompatibilityMode.FULL, PaymentDeclined.class);

  public static final EventType<NotificationSent> NOTIFICATION_SENT =
      v1("NotificationSent", "notifications", NotificationSent.class);

  public static final List<EventType<?>> ALL = List.of(
      ORDER_PLACED, ORDER_CONFIRMED, ORDER_CANCELLED,
      STOCK_RESERVED, STOCK_UNAVAILABLE, STOCK_RELEASED, INVENTORY_LOW, PRODUCT_PRICED,
      PAYMENT_AUTHORIZED, PAYMENT_DECLINED,
      NOTIFICATION_SENT);

  private static final Map<String, EventType<?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));

  private static final Map<Class<?>, EventType<?>> BY_DATA_CLASS =
      ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::dataClass, Function.identity()));

  private EventCatalog() {
  }

  /** The type of an event record, e.g. {@link #ORDER_PLACED} for an {@code OrderPlaced}. */
  @SuppressWarnings("unchecked")
  public static <T extends Record> EventType<T> typeOf(T data) {
    EventType<?> type = BY_DATA_CLASS.get(data.getClass());
    if (type == null) {
      throw new IllegalArgumentException(data.getClass().getName() + " is not an event of the catalog");
    }
    return (EventType<T>) type;
  }

  public static Optional<EventType<?>> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * The catalog type of an event's {@code type}, for a reader that can read nothing else.
   *
   * @throws InvalidEnvelope if the catalog knows no such type
   */
  public static EventType<?> typeOfEvent(EventEnvelope event) {
    return byName(event.type()).orElseThrow(() -> new InvalidEnvelope("unknown event type " + event.type()));
  }

  /** A type with one version so far; its next will have to keep readers both ways (FULL). */
  private static <T extends Record> EventType<T> v1(String name, String module, Class<T> dataClass) {
    return evolved(name, module, 1, CompatibilityMode.FULL, dataClass);
  }

  /**
   * A type at its newest version. Every version before it stays published: its schema file is never
   * edited, and {@code EventUpcasters} holds a step from it to the next.
   */
  private static <T extends Record> EventType<T> evolved(String name, String module, int version,
                                                         CompatibilityMode compatibility, Class<T> dataClass) {
    return new EventType<>(name, module, version, dataClass, compatibility);
  }
}
