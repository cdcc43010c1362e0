package dev.switchboard.orders.application;

import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.orders.domain.Decision;
import dev.switchboard.orders.domain.OrderCommand;
import dev.switchboard.orders.domain.OrderCommand.CancelOrder;
import dev.switchboard.orders.domain.OrderCommand.ConfirmOrder;
import dev.switchboard.orders.domain.OrderRejection.AlreadyFinal;
import dev.switchboard.orders.domain.OrderRejection.UnknownOrder;
import dev.switchboard.orders.domain.OrderStatus;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.CUSTOMER;
import static dev.switchboard.runtime.testing.TestEvents.DEFAULT_TOTAL;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands on an order against the real embedded store: load, decide, append at the loaded
 * version; and the guarantee that a confirmation and a cancellation racing each other are never
 * both applied.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderCommandHandlerTest {

  private static final int ATTEMPTS = 5;
  private static final int ORDERS = 50;

  @TempDir
  Path dir;

  private EventStore store;
  private Context context;

  @BeforeEach
  void openTheStore(Vertx vertx) {
    store = result(TestStores.embedded(vertx, dir));
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void closeTheStore() {
    result(store.close());
  }

  @Test
  void confirming_a_placed_order_appends_the_confirmation_after_the_placement_with_its_cause() {
    OrderCommandHandler handler = handler(store, ATTEMPTS);
    String order = placed();

    Decision decision = execute(handler, new ConfirmOrder(order, DEFAULT_TOTAL), new EventFactory.Cause(order, "payment-42"));

    assertThat(decision).isInstanceOf(Decision.Accepted.class);
    List<StoredEvent> stream = orderStream(order);
    assertThat(stream).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderConfirmed");
    assertThat(stream.get(1).envelope().sequence()).isEqualTo(2);
    assertThat(stream.get(1).envelope().correlationid()).isEqualTo(order);
    assertThat(stream.get(1).envelope().causationid()).isEqualTo("payment-42");
  }

  @Test
  void a_rejected_command_appends_nothing() {
    OrderCommandHandler handler = handler(store, ATTEMPTS);
    String order = newOrderId();

    Decision decision = execute(handler, new ConfirmOrder(order, DEFAULT_TOTAL), cause(order));

    assertThat(decision).isEqualTo(new Decision.Rejected(new UnknownOrder(order)));
    assertThat(orderStream(order)).isEmpty();
  }

  @Test
  void a_command_asked_twice_is_applied_once() {
    OrderCommandHandler handler = handler(store, ATTEMPTS);
    String order = placed();

    execute(handler, new CancelOrder(order, "out of stock"), cause(order));
    Decision again = execute(handler, new CancelOrder(order, "out of stock"), cause(order));

    assertThat(again).isEqualTo(new Decision.Accepted(List.of()));
    assertThat(orderStream(order)).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderCancelled");
  }

  @Test
  void a_command_decided_on_a_state_overtaken_meanwhile_is_decided_again_and_then_refused() {
    HoldingStore holding = new HoldingStore(store);
    OrderCommandHandler handler = handler(holding, ATTEMPTS);
    String order = placed();

    holding.holdNextStreamRead();
    Future<Decision> confirming = start(() -> handler.execute(new ConfirmOrder(order, DEFAULT_TOTAL), cause(order)));
    Await.until("the confirmation has loaded the pending order", holding::heldReadHasRead);
    Decision cancelled = execute(handler, new CancelOrder(order, "payment declined"), cause(order));
    holding.release(); // the confirmation now decides on the pending order it loaded, and conflicts

    Decision confirmed = result(confirming);
    assertThat(cancelled).isInstanceOf(Decision.Accepted.class);
    assertThat(confirmed).isEqualTo(new Decision.Rejected(new AlreadyFinal(order, OrderStatus.CANCELLED)));
    assertThat(holding.streamReads()).as("loaded for the confirmation, the cancellation, and the retry").isEqualTo(3);
    assertThat(orderStream(order)).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderCancelled");
  }

  @Test
  void without_a_second_attempt_the_overtaken_command_fails_with_the_conflict_and_appends_nothing() {
    HoldingStore holding = new HoldingStore(store);
    OrderCommandHandler handler = handler(holding, 1);
    String order = placed();

    holding.holdNextStreamRead();
    Future<Decision> confirming = start(() -> handler.execute(new ConfirmOrder(order, DEFAULT_TOTAL), cause(order)));
    Await.until("the confirmation has loaded the pending order", holding::heldReadHasRead);
    execute(handler, new CancelOrder(order, "payment declined"), cause(order));
    holding.release();

    assertThat(Await.failure(confirming)).isInstanceOf(ConcurrencyConflict.class);
    assertThat(orderStream(order)).extracting(StoredEvent::type).containsExactly("OrderPlaced", "OrderCancelled");
  }

  @Test
  void a_confirmation_and_a_cancellation_at_once_are_never_both_applied() {
    OrderCommandHandler handler = handler(store, ATTEMPTS);
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < ORDERS; i++) {
      orders.add(placed());
    }

    List<Future<Decision>> confirmations = new ArrayList<>();
    List<Future<Decision>> cancellations = new ArrayList<>();
    Await.onContext(context, () -> {
      for (String order : orders) {
        confirmations.add(handler.execute(new ConfirmOrder(order, DEFAULT_TOTAL), cause(order)));
        cancellations.add(handler.execute(new CancelOrder(order, "payment declined"), cause(order)));
      }
      List<Future<Decision>> all = new ArrayList<>(confirmations);
      all.addAll(cancellations);
      return Future.all(all);
    });

    for (int i = 0; i < ORDERS; i++) {
      String order = orders.get(i);
      Decision confirmation = confirmations.get(i).result();
      Decision cancellation = cancellations.get(i).result();
      List<StoredEvent> stream = orderStream(order);
      assertThat(stream).as("the stream of %s", order).hasSize(2);
      assertThat(stream.get(0).type()).isEqualTo("OrderPlaced");
      if (stream.get(1).type().equals("OrderConfirmed")) {
        assertThat(confirmation).as("the confirmation of %s", order).isInstanceOf(Decision.Accepted.class);
        assertThat(((Decision.Accepted) confirmation).events()).hasSize(1);
        assertThat(cancellation).as("the cancellation of %s", order)
            .isEqualTo(new Decision.Rejected(new AlreadyFinal(order, OrderStatus.CONFIRMED)));
      } else {
        assertThat(stream.get(1).type()).isEqualTo("OrderCancelled");
        assertThat(EventData.decode(stream.get(1).envelope().data(), OrderCancelled.class))
            .isEqualTo(new OrderCancelled(order, CUSTOMER, "payment declined"));
        assertThat(cancellation).as("the cancellation of %s", order).isInstanceOf(Decision.Accepted.class);
        assertThat(((Decision.Accepted) cancellation).events()).hasSize(1);
        assertThat(confirmation).as("the confirmation of %s", order)
            .isEqualTo(new Decision.Rejected(new AlreadyFinal(order, OrderStatus.CANCELLED)));
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static OrderCommandHandler handler(EventStore store, int attempts) {
    return new OrderCommandHandler(store, new OrderStream(store, EventFactory.system(), DefaultShop.upcasters()),
        attempts);
  }

  /** A placed order: its {@code OrderPlaced} committed, as the first event of its stream. */
  private String placed() {
    String order = newOrderId();
    result(store.commit(startStream(orderPlaced(order))));
    return order;
  }

  private Decision execute(OrderCommandHandler handler, OrderCommand command, EventFactory.Cause cause) {
    return Await.onContext(context, () -> handler.execute(command, cause));
  }

  private <T> Future<T> start(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private List<StoredEvent> orderStream(String order) {
    return result(store.readStream(OrderStream.idOf(order)));
  }

  private static EventFactory.Cause cause(String order) {
    return new EventFactory.Cause(order, "request-" + order);
  }
}
