package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventEnvelope;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.stockReserved;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NamesTest {

  @Test
  void the_routing_key_is_the_producing_module_and_the_type() {
    assertThat(Names.routingKey(orderPlaced(newOrderId()))).isEqualTo("orders.OrderPlaced");
    assertThat(Names.routingKey(stockReserved(newOrderId()))).isEqualTo("inventory.StockReserved");
  }

  @Test
  void an_event_of_a_type_the_catalog_does_not_know_is_routed_by_its_source() {
    EventEnvelope known = orderPlaced(newOrderId());
    EventEnvelope foreign = new EventEnvelope(known.id(), "OrderExploded", "/orders", known.subject(), known.time(),
        null, 1, 0, null, null, known.data());

    assertThat(Names.routingKey(foreign)).isEqualTo("orders.OrderExploded");
  }

  @Test
  void a_consumer_has_a_queue_and_a_dead_letter_queue_named_after_it() {
    assertThat(Names.queueOf("inventory")).isEqualTo("switchboard.inventory");
    assertThat(Names.deadLetterQueueOf("inventory")).isEqualTo("switchboard.inventory.dlq");
  }

  @Test
  void a_queue_is_bound_by_the_modules_that_produce_its_types() {
    assertThat(Names.bindingKeys(List.of("OrderPlaced", "PaymentDeclined", "OrderConfirmed", "NoSuchType")))
        .containsExactly("orders.*", "payments.*");
  }
}
