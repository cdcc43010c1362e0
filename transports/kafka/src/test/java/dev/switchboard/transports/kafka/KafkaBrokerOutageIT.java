package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.outbox.OutboxRelay;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker goes away while orders keep coming: the node stays up, publishing fails and the
 * outbox keeps the events, readiness says so, and when the broker is back everything is delivered,
 * once in effect, without anyone restarting anything.
 */
class KafkaBrokerOutageIT extends KafkaTransportTestBase {

  private OutboxRelay relay;

  @Override
  KafkaSettings settings() {
    return settings(new JsonObject()
        .put("requestTimeoutMillis", 2_000)
        .put("deliveryTimeoutMillis", 4_000)
        .put("pingTimeoutMillis", 1_000)
        // a consumer cut off from its coordinator is given up by the group after this
        .put("properties", new JsonObject().put("session.timeout.ms", "10000")));
  }

  @AfterEach
  void stopTheRelay() {
    if (relay != null) {
      Await.onContext(context, () -> relay.stop());
    }
  }

  @Test
  void while_the_broker_is_down_publishing_and_readiness_fail_and_once_it_is_back_every_event_is_delivered_once() {
    Recorder recorder = new Recorder(unique("survivor"));
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED, EventCatalog.ORDER_CONFIRMED);
    subscribe(consumer);
    relay = new OutboxRelay(vertx, store, transport, new OutboxRelay.Settings(100, 200, 5_000));
    Await.onContext(context, () -> {
      relay.start();
      return Future.succeededFuture();
    });
    List<StoredEvent> beforeOutage = placeAndConfirm(5);
    Eventually.until("the events before the outage are applied", () -> allApplied(recorder, beforeOutage));

    broker.stop();

    Throwable notReady = Await.failure(Await.on(context, () -> transport.ping()));
    assertThat(notReady).hasMessageContaining(broker.bootstrapServers());
    Throwable noLag = Await.failure(Await.on(context, () -> transport.consumerLag()));
    assertThat(noLag).as("the lag gauges are told the cluster is gone, in time")
        .hasMessageContaining(broker.bootstrapServers());
    List<StoredEvent> duringOutage = placeAndConfirm(5);
    Throwable refused = Await.failure(Await.on(context, () -> transport.publish(duringOutage)));
    assertThat(refused).isInstanceOf(PublishFailed.class);
    assertThat(result(relay.backlog()).events()).as("the log keeps what the broker did not take, for the relay")
        .isGreaterThanOrEqualTo(duringOutage.size());

    broker.start();

    Eventually.until("the transport is ready again", this::ready);
    Eventually.until("the relay's backlog is empty", () -> result(relay.backlog()).events() == 0);
    List<StoredEvent> afterOutage = placeAndConfirm(5);
    List<StoredEvent> all = new ArrayList<>(beforeOutage);
    all.addAll(duringOutage);
    all.addAll(afterOutage);
    Eventually.until("every event is applied", () -> allApplied(recorder, all));
    assertThat(all).allSatisfy(event ->
        assertThat(recorder.effectRevision(store, event.id())).as("the effect of %s", event.id()).contains(1L));
    assertThat(result(store.deadLetters(100))).as("an outage is no reason for a dead letter").isEmpty();
    for (StoredEvent placed : all.stream().filter(e -> e.type().equals("OrderPlaced")).toList()) {
      assertThat(recorder.typesSeenOf(placed.envelope().subject())).containsExactly("OrderPlaced", "OrderConfirmed");
    }
  }

  private boolean ready() {
    try {
      Await.onContext(context, () -> transport.ping());
      return true;
    } catch (AssertionError notYet) {
      return false;
    }
  }

  /** Commits orders placed and confirmed, as the orders module would (the relay publishes them). */
  private List<StoredEvent> placeAndConfirm(int orders) {
    List<StoredEvent> events = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      String order = newOrderId();
      events.addAll(commitNew(orderPlaced(order)));
      events.addAll(commitMore(orderConfirmed(order)));
    }
    return events;
  }

  private boolean allApplied(Recorder recorder, List<StoredEvent> events) {
    return events.stream().allMatch(event -> recorder.applied(store, event.id()));
  }
}
