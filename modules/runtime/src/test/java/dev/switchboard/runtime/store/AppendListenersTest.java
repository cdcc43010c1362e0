package dev.switchboard.runtime.store;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.Await.until;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

class AppendListenersTest {

  private final Vertx vertx = Vertx.vertx();
  private final AppendListeners listeners = new AppendListeners();

  @AfterEach
  void close() {
    result(vertx.close());
  }

  @Test
  void a_listener_is_woken_by_commits_of_its_types_until_its_registration_is_cancelled() throws Exception {
    AtomicInteger placedWakes = new AtomicInteger();
    AtomicInteger everyWakes = new AtomicInteger();
    Registration placed = listeners.add(vertx, Set.of("OrderPlaced"), placedWakes::incrementAndGet);
    listeners.add(vertx, everyWakes::incrementAndGet);

    listeners.afterCommit(List.of(new StoredEvent(1, orderPlaced(newOrderId()))));
    listeners.afterCommit(List.of(new StoredEvent(2, orderConfirmed(newOrderId()))));
    until("both commits woke the listener of every type", () -> everyWakes.get() == 2);
    assertThat(placedWakes).as("woken for its type only").hasValue(1);

    placed.cancel();
    placed.cancel(); // twice does nothing more
    listeners.afterCommit(List.of(new StoredEvent(3, orderPlaced(newOrderId()))));
    listeners.wake();
    until("the listener still registered was woken twice more", () -> everyWakes.get() == 4);
    assertThat(placedWakes).as("never woken once cancelled").hasValue(1);
  }
}
