package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.delivery.WireTransport;
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.paymentAuthorized;
import static dev.switchboard.runtime.testing.TestEvents.stockReserved;
import static org.assertj.core.api.Assertions.assertThat;

/** What publishing puts on the broker, as a foreign client sees it (DESIGN §5). */
class RabbitMqPublishingIT extends RabbitMqTransportTestBase {

  @Test
  void published_events_reach_the_exchange_persistent_as_cloud_events_with_the_routing_key_of_module_and_type() {
    String probe = unique("probe-everything");
    broker.bindProbe(probe, "#");
    String orderId = newOrderId();
    StoredEvent placed = commitNew(orderPlaced(orderId)).get(0);
    StoredEvent reserved = commitNew(stockReserved(orderId)).get(0);
    StoredEvent authorized = commitNew(paymentAuthorized(orderId, new BigDecimal("25.50"))).get(0);

    publish(List.of(placed, reserved, authorized));

    List<RabbitMqBroker.Message> messages = broker.drain(probe);
    assertThat(messages).extracting(RabbitMqBroker.Message::routingKey)
        .containsExactly("orders.OrderPlaced", "inventory.StockReserved", "payments.PaymentAuthorized");
    assertThat(messages).allSatisfy(message -> {
      assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
      assertThat(message.properties().getContentType()).isEqualTo("application/cloudevents+json; charset=UTF-8");
    });
    RabbitMqBroker.Message first = messages.get(0);
    assertThat(new JsonObject(first.body())).isEqualTo(placed.envelope().toJson());
    assertThat(first.properties().getMessageId()).isEqualTo(placed.id());
    assertThat(first.header("ce_type")).isEqualTo("OrderPlaced");
    assertThat(first.header("ce_id")).isEqualTo(placed.id());
    assertThat(first.header("ce_subject")).isEqualTo(orderId);
  }

  @Test
  void a_consumers_queue_keeps_what_is_published_for_its_modules_while_it_is_away() {
    String consumer = unique("away");
    Recorder recorder = new Recorder(consumer);
    Subscription first = subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));
    close(first);
    String orderId = newOrderId();
    List<StoredEvent> orderEvents = commitNew(orderPlaced(orderId), orderConfirmed(orderId));
    StoredEvent reserved = commitNew(stockReserved(orderId)).get(0);

    publish(List.of(orderEvents.get(0), orderEvents.get(1), reserved));

    // bound by module: the orders module's other type comes along, the inventory's does not (on a
    // loaded machine the broker may still hold them as the closed consumer's for a moment). Waited
    // for by count: a peek takes the messages and puts them back as its channel closes, and on a
    // loaded broker the next peek could come before they are back, again and again
    Await.until("what was published is ready in the queue", () -> broker.ready(Names.queueOf(consumer)) >= 2);
    assertThat(broker.peek(Names.queueOf(consumer))).extracting(RabbitMqBroker.Message::routingKey)
        .containsExactly("orders.OrderPlaced", "orders.OrderConfirmed");
    assertThat(broker.queueExists(Names.deadLetterQueueOf(consumer))).isTrue();

    subscribe(recorder.consumerOf(EventCatalog.ORDER_PLACED));

    Await.until("the queue is empty", () -> broker.depth(Names.queueOf(consumer)).total() == 0);
    assertThat(recorder.idsSeen()).containsExactly(orderEvents.get(0).id());
    assertThat(recorder.effectRevision(store, orderEvents.get(0).id())).contains(1L);
    assertThat(result(store.deadLetters(10))).isEmpty();
  }

  @Test
  void the_queues_of_the_catalogs_consumers_exist_before_any_of_them_subscribes_so_nothing_published_first_is_lost() {
    StoredEvent placed = commitNew(orderPlaced(newOrderId())).get(0);

    publish(List.of(placed));

    // inventory and payments consume OrderPlaced (contracts' Subscriptions)
    assertThat(broker.peek("switchboard.inventory")).extracting(RabbitMqBroker.Message::body)
        .anySatisfy(body -> assertThat(new JsonObject(body).getString("id")).isEqualTo(placed.id()));
    assertThat(broker.peek("switchboard.payments")).extracting(RabbitMqBroker.Message::body)
        .anySatisfy(body -> assertThat(new JsonObject(body).getString("id")).isEqualTo(placed.id()));
  }

  @Test
  void without_a_broker_publishing_pinging_and_subscribing_fail_fast_and_never_show_the_password() {
    RabbitMqSettings unreachable = RabbitMqTestSettings.defaults("amqp://guest:s3cret-word@127.0.0.1:1/nowhere")
        .withReconnectIntervalMillis(200).withTimeouts(1_000, 1_000);
    WireTransport lonely = overRabbitMq(vertx, unreachable);
    try {
      StoredEvent placed = commitNew(orderPlaced(newOrderId())).get(0);

      Throwable ping = Await.failure(lonely.ping());
      Throwable publish = Await.failure(Await.on(context, () -> lonely.publish(List.of(placed))));
      Throwable subscribe = Await.failure(Await.on(context, () -> lonely.subscribe(unique("lonely"),
          Set.of("OrderPlaced"), runner(new Recorder("lonely").consumerOf(EventCatalog.ORDER_PLACED)))));

      for (Throwable failure : List.of(ping, publish, subscribe)) {
        assertThat(failure).isInstanceOf(BrokerUnavailable.class);
        assertThat(failure.getMessage()).contains("amqp://guest@127.0.0.1:1").doesNotContain("s3cret-word");
      }
    } finally {
      result(lonely.close());
    }
  }
}
