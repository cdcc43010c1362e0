package dev.switchboard.notifications.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.inventory.InventoryLow;
import dev.switchboard.contracts.notifications.NotificationSent;
import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.notifications.channel.NotificationChannel;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreReads;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Notifications' consumer: one message per finished order to its customer, one per low-stock
 * warning to operations; each recorded as {@code NotificationSent} (which the sent-notifications
 * read model follows).
 *
 * <p>An order's notification stream may hold one event only (it is appended at expected version
 * 0), so an order is never told twice, whatever is redelivered.
 */
public final class Notifying {

  public static final String CONSUMER = "notifications";
  static final String MODULE = "notifications";
  static final String OPERATIONS = "operations";

  private final StoreReads store;
  private final EventFactory events;
  private final NotificationChannel channel;

  public Notifying(StoreReads store, EventFactory events, NotificationChannel channel) {
    this.store = store;
    this.events = events;
    this.channel = channel;
  }

  public EventConsumer consumer() {
    return EventConsumer.named(CONSUMER)
        .on(EventCatalog.ORDER_CONFIRMED, this::onConfirmed)
        .on(EventCatalog.ORDER_CANCELLED, this::onCancelled)
        .on(EventCatalog.INVENTORY_LOW, this::onInventoryLow)
        .build();
  }

  private Future<UnitOfWork> onConfirmed(Received<OrderConfirmed> event) {
    OrderConfirmed order = event.data();
    return once(event, "ORDER_CONFIRMED", order.orderId(), order.customerId(),
        "Your order " + order.orderId() + " is confirmed. Total: " + order.total().toPlainString() + ".");
  }

  private Future<UnitOfWork> onCancelled(Received<OrderCancelled> event) {
    OrderCancelled order = event.data();
    return once(event, "ORDER_CANCELLED", order.orderId(), order.customerId(),
        "Your order " + order.orderId() + " was cancelled: " + order.reason() + ".");
  }

  private Future<UnitOfWork> onInventoryLow(Received<InventoryLow> event) {
    InventoryLow low = event.data();
    String message = "Stock of " + low.productId() + " is low: " + low.available() + " available, threshold "
        + low.threshold() + ".";
    return send(event, new NotificationSent(notificationId(event), "INVENTORY_LOW", low.productId(), OPERATIONS,
        channel.name(), message), ExpectedVersion.ANY);
  }

  /** An order is notified once: if its notification stream has an event, there is nothing to do. */
  private Future<UnitOfWork> once(Received<?> event, String kind, String orderId, String customerId, String message) {
    return store.readStream(Streams.of(MODULE, orderId)).compose(history -> history.isEmpty()
        ? send(event, new NotificationSent(notificationId(event), kind, orderId, customerId, channel.name(), message),
            ExpectedVersion.NONE)
        : Future.succeededFuture(UnitOfWork.NOTHING));
  }

  private Future<UnitOfWork> send(Received<?> event, NotificationSent sent, long expectedVersion) {
    return channel.send(sent.notificationId(), sent.recipient(), sent.message())
        .map(v -> UnitOfWork.of(new StreamAppend(Streams.of(MODULE, sent.about()), expectedVersion,
            List.of(events.create(sent, sent.about(), EventFactory.Cause.of(event.envelope()))))));
  }

  /** The same event always yields the same notification id, so a channel can drop a resend. */
  private static String notificationId(Received<?> event) {
    return UUID.nameUUIDFromBytes(("notification:" + event.envelope().id()).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
