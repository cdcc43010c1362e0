package dev.switchboard.notifications.application;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.inventory.InventoryLow;
import dev.switchboard.contracts.notifications.NotificationSent;
import dev.switchboard.notifications.channel.NotificationChannel;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.notifications.readmodel.SentNotifications;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.CUSTOMER;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifications' consumer over the real embedded store: one message per finished order to its
 * customer, one per low-stock warning to operations, each recorded as {@code NotificationSent} and
 * in the {@code notifications} read model, and an order never told twice.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NotifyingTest {

  private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
  private static final EventFactory EVENTS = new EventFactory(Clock.fixed(NOW, ZoneOffset.UTC), UUID::randomUUID);
  private static final BigDecimal TOTAL = new BigDecimal("25.75");

  @TempDir
  Path dir;

  private Vertx vertx;
  private EventStore store;
  private Context context;
  private final RecordingChannel channel = new RecordingChannel();

  private ProjectionRunner readModel;

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
    readModel = new ProjectionRunner(vertx, store, SentNotifications.readModel(), new ProjectionRunner.Settings(100, 20),
        DefaultShop.upcasters());
    Await.onContext(context, () -> readModel.start());
  }

  @AfterEach
  void closeTheStore() {
    Await.onContext(context, () -> readModel.stop());
    result(store.close());
  }

  @Test
  void a_confirmed_order_is_told_to_its_customer_and_recorded() {
    ConsumerRunner notifications = notifications();
    String order = newOrderId();
    StoredEvent confirmed = finished(orderConfirmed(order, TOTAL));

    deliver(notifications, confirmed);

    String message = "Your order " + order + " is confirmed. Total: 25.75.";
    NotificationSent sent = single(notificationStream(order));
    assertThat(sent).isEqualTo(new NotificationSent(notificationIdOf(confirmed), "ORDER_CONFIRMED", order, CUSTOMER,
        "test", message));
    assertThat(channel.sent).containsExactly(new Sent(notificationIdOf(confirmed), CUSTOMER, message));
    assertThat(record(order, 1)).isEqualTo(new JsonObject()
        .put("about", order)
        .put("notifications", new JsonArray().add(new JsonObject()
            .put("notificationId", notificationIdOf(confirmed))
            .put("kind", "ORDER_CONFIRMED")
            .put("recipient", CUSTOMER)
            .put("channel", "test")
            .put("message", message)
            .put("sentAt", NOW.toString()))));
  }

  @Test
  void a_cancelled_order_is_told_to_its_customer_with_the_reason() {
    ConsumerRunner notifications = notifications();
    String order = newOrderId();
    StoredEvent cancelled = finished(orderCancelled(order, "stock unavailable: sku-1: 2 wanted, 1 available"));

    deliver(notifications, cancelled);

    NotificationSent sent = single(notificationStream(order));
    assertThat(sent.kind()).isEqualTo("ORDER_CANCELLED");
    assertThat(sent.recipient()).isEqualTo(CUSTOMER);
    assertThat(sent.message()).isEqualTo(
        "Your order " + order + " was cancelled: stock unavailable: sku-1: 2 wanted, 1 available.");
    assertThat(record(order, 1).getJsonArray("notifications")).hasSize(1);
  }

  @Test
  void a_confirmation_delivered_twice_sends_one_notification() {
    ConsumerRunner notifications = notifications();
    String order = newOrderId();
    StoredEvent confirmed = finished(orderConfirmed(order, TOTAL));

    deliver(notifications, confirmed);
    deliver(notifications, confirmed);

    assertThat(notificationStream(order)).hasSize(1);
    assertThat(channel.sent).hasSize(1);
    assertThat(record(order, 1).getJsonArray("notifications")).hasSize(1);
  }

  @Test
  void a_second_end_of_the_same_order_under_another_event_id_is_not_told_again() {
    ConsumerRunner notifications = notifications();
    String order = newOrderId();
    StoredEvent confirmed = finished(orderConfirmed(order, TOTAL));
    StoredEvent again = result(store.commit(appendAny(orderConfirmed(order, TOTAL)))).get(0); // republished copy

    deliver(notifications, confirmed);
    deliver(notifications, again);

    assertThat(notificationStream(order)).hasSize(1);
    assertThat(channel.sent).hasSize(1);
    assertThat(record(order, 1).getJsonArray("notifications")).hasSize(1);
    assertThat(result(store.isHandled(Notifying.CONSUMER, again))).isTrue();
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void a_failing_channel_is_retried_with_the_same_notification_id_and_recorded_once() {
    channel.failuresToCome.set(1);
    ConsumerRunner notifications = notifications();
    String order = newOrderId();
    StoredEvent confirmed = finished(orderConfirmed(order, TOTAL));

    deliver(notifications, confirmed);

    assertThat(channel.attempts).hasValue(2);
    assertThat(channel.sent).extracting(Sent::notificationId).containsExactly(notificationIdOf(confirmed));
    assertThat(notificationStream(order)).hasSize(1);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void low_stock_is_told_to_operations_each_time_and_kept_per_product() {
    ConsumerRunner notifications = notifications();
    StoredEvent first = lowStock(new InventoryLow("sku-1", 4, 5));
    StoredEvent second = lowStock(new InventoryLow("sku-1", 2, 5));

    deliver(notifications, first);
    deliver(notifications, second);

    List<StoredEvent> stream = result(store.readStream(Streams.of(Notifying.MODULE, "sku-1")));
    assertThat(stream).extracting(event -> EventData.decode(event.envelope().data(), NotificationSent.class))
        .containsExactly(
            new NotificationSent(notificationIdOf(first), "INVENTORY_LOW", "sku-1", "operations", "test",
                "Stock of sku-1 is low: 4 available, threshold 5."),
            new NotificationSent(notificationIdOf(second), "INVENTORY_LOW", "sku-1", "operations", "test",
                "Stock of sku-1 is low: 2 available, threshold 5."));
    JsonArray kept = record("sku-1", 2).getJsonArray("notifications");
    assertThat(kept).hasSize(2);
    assertThat(kept.getJsonObject(1).getString("message")).isEqualTo("Stock of sku-1 is low: 2 available, threshold 5.");
    assertThat(kept.getJsonObject(1).getString("recipient")).isEqualTo("operations");
  }

  // ------------------------------------------------------------------ helpers

  private ConsumerRunner notifications() {
    return new ConsumerRunner(vertx, store, EventSchemas.load(), new Notifying(store, EVENTS, channel).consumer(),
        new RetryPolicy(3, 5, 20), Clock.systemUTC(),
            DefaultShop.upcasters());
  }

  /** Commits the order's placement and then its end; returns the end. */
  private StoredEvent finished(EventEnvelope end) {
    return result(store.commit(startStream(orderPlaced(end.subject(), TOTAL), end))).get(1);
  }

  private StoredEvent lowStock(InventoryLow low) {
    EventEnvelope event = EVENTS.create(EventCatalog.INVENTORY_LOW, low.productId(), low,
        new EventFactory.Cause(low.productId(), null));
    return result(store.commit(appendAny(event))).get(0);
  }

  private void deliver(ConsumerRunner runner, StoredEvent event) {
    Await.onContext(context, () -> runner.deliver(event));
  }

  private List<StoredEvent> notificationStream(String order) {
    return result(store.readStream(Streams.of(Notifying.MODULE, order)));
  }

  private static NotificationSent single(List<StoredEvent> stream) {
    assertThat(stream).hasSize(1);
    assertThat(stream.get(0).type()).isEqualTo("NotificationSent");
    return EventData.decode(stream.get(0).envelope().data(), NotificationSent.class);
  }

  /**
   * The sent-notifications row about an order or product, once the read model (running beside the
   * consumer, as in the app) shows {@code count} notifications; and no more come after them.
   */
  private JsonObject record(String about, int count) {
    long head = result(store.readModels().head());
    Await.until("the read model has caught up with the log", () -> result(store.readModels()
        .state(SentNotifications.NAME)).orElseThrow().position() >= head);
    JsonObject row = result(store.readModels().row(SentNotifications.NAME, about))
        .orElseThrow(() -> new AssertionError("no notifications recorded about " + about));
    assertThat(row.getJsonArray("notifications")).hasSize(count);
    return row;
  }

  /** Derived from the event id, so that a resend can be recognised by the channel. */
  private static String notificationIdOf(StoredEvent cause) {
    return UUID.nameUUIDFromBytes(("notification:" + cause.id()).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private record Sent(String notificationId, String recipient, String message) {
  }

  /** A channel that keeps what it sent, and can be told to fail a number of times first. */
  private static final class RecordingChannel implements NotificationChannel {
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger failuresToCome = new AtomicInteger();

    @Override
    public String name() {
      return "test";
    }

    @Override
    public Future<Void> send(String notificationId, String recipient, String message) {
      attempts.incrementAndGet();
      if (failuresToCome.getAndDecrement() > 0) {
        return Future.failedFuture(new IllegalStateException("mail server down"));
      }
      sent.add(new Sent(notificationId, recipient, message));
      return Future.succeededFuture();
    }
  }
}
