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
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Notifications' consumer: one message per finished order to its customer, one per low-stock
 * warning to operations; each recorded as {@code NotificationSent} and in the sent-notifications
 * read model ({@code notifications} documents, one per order or product).
 *
 * <p>An order's notification stream may hold one event only (it is appended at expected version
 * 0), so an order is never told twice, whatever is redelivered.
 */
public final class Notifying {

  public static final String CONSUMER = "notifications";
  public static final String COLLECTION = "notifications";
  static final String MODULE = "notifications";
  static final String OPERATIONS = "operations";
  /** How many notifications the read model keeps per order or product (the events keep them all). */
  static final int KEPT_PER_SUBJECT = 50;

  private final EventStore store;
  private final EventFactory events;
  private final NotificationChannel channel;

  public Notifying(EventStore store, EventFactory events, NotificationChannel channel) {
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
        .compose(v -> store.document(COLLECTION, sent.about()))
        .map(current -> UnitOfWork
            .of(new StreamAppend(Streams.of(MODULE, sent.about()), expectedVersion,
                List.of(events.create(sent, sent.about(), EventFactory.Cause.of(event.envelope())))))
            .and(recorded(current, sent, events.clock().instant().toString())));
  }

  private static DocumentWrite recorded(Optional<Document> current, NotificationSent sent, String time) {
    JsonArray kept = current.map(document -> document.body().getJsonArray("notifications").copy())
        .orElseGet(JsonArray::new);
    kept.add(new JsonObject()
        .put("notificationId", sent.notificationId())
        .put("kind", sent.kind())
        .put("recipient", sent.recipient())
        .put("channel", sent.channel())
        .put("message", sent.message())
        .put("sentAt", time));
    while (kept.size() > KEPT_PER_SUBJECT) {
      kept.remove(0);
    }
    long revision = current.map(Document::revision).orElse(ExpectedVersion.NONE);
    return new DocumentWrite(COLLECTION, sent.about(), revision,
        new JsonObject().put("about", sent.about()).put("notifications", kept));
  }

  /** The same event always yields the same notification id, so a channel can drop a resend. */
  private static String notificationId(Received<?> event) {
    return UUID.nameUUIDFromBytes(("notification:" + event.envelope().id()).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
