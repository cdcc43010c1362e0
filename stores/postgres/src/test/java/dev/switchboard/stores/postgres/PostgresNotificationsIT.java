package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/** LISTEN/NOTIFY: appends on one node wake the consumers of every node on the database. */
class PostgresNotificationsIT extends PostgresTestSupport {

  @Test
  void an_append_of_one_node_wakes_the_listeners_of_the_others_and_its_own_exactly_once() {
    PostgresEventStore first = open();
    PostgresEventStore second = open();
    Context context = vertx.getOrCreateContext();
    AtomicInteger firstWakes = new AtomicInteger();
    AtomicInteger secondWakes = new AtomicInteger();
    List<Context> ranOn = Collections.synchronizedList(new ArrayList<>());
    Await.onContext(context, () -> {
      first.onAppended(firstWakes::incrementAndGet);
      second.onAppended(() -> {
        ranOn.add(Vertx.currentContext());
        secondWakes.incrementAndGet();
      });
      return Future.succeededFuture();
    });

    result(first.commit(startStream(orderPlaced(newOrderId()))));
    Await.until("the other node woke", () -> secondWakes.get() == 1);
    result(first.commit(documentOnly()));                                   // appends nothing: no wake
    result(second.commit(startStream(orderPlaced(newOrderId()))));
    Await.until("both woke twice", () -> firstWakes.get() == 2 && secondWakes.get() == 2);
    // a NOTIFY is delivered after those committed before it: this one comes after all of the above
    result(first.commit(startStream(orderPlaced(newOrderId()))));
    Await.until("the other node woke a third time", () -> secondWakes.get() == 3);
    Await.onContext(context, () -> Future.succeededFuture()); // let anything queued on the context run

    assertThat(firstWakes.get()).as("its own commits wake it once each, not again by its notification").isEqualTo(3);
    assertThat(secondWakes.get()).isEqualTo(3);
    assertThat(ranOn).containsOnly(context);
  }

  @Test
  void a_notification_from_outside_the_app_wakes_the_listeners_too() {
    PostgresEventStore store = open();
    AtomicInteger wakes = new AtomicInteger();
    Await.onContext(vertx.getOrCreateContext(), () -> {
      store.onAppended(wakes::incrementAndGet);
      return Future.succeededFuture();
    });

    TestPostgres.execute(database, "NOTIFY " + PostgresSql.CHANNEL + ", 'appended by a tool'");

    Await.until("the listener woke", () -> wakes.get() == 1);
  }

  private static UnitOfWork documentOnly() {
    return UnitOfWork.NOTHING.and(new DocumentWrite("orders", newOrderId(), ExpectedVersion.NONE, new JsonObject()));
  }
}
