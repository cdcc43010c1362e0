package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.transport.wire.Route;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NamesTest {

  @Test
  void the_routing_key_is_the_producing_module_and_the_type() {
    assertThat(Names.routingKey(new Route.Event("orders", "OrderPlaced"))).isEqualTo("orders.OrderPlaced");
    assertThat(Names.routingKey(new Route.Event("inventory", "StockReserved"))).isEqualTo("inventory.StockReserved");
  }

  @Test
  void a_dot_in_a_module_made_of_a_foreign_source_does_not_end_the_module() {
    assertThat(Names.routingKey(new Route.Event("shop.eu", "OrderExploded"))).isEqualTo("shop_eu.OrderExploded");
    assertThat(Names.moduleOf("shop_eu.OrderExploded")).isEqualTo("shop_eu");
  }

  @Test
  void a_consumer_has_a_queue_and_a_dead_letter_queue_named_after_it() {
    assertThat(Names.queueOf("inventory")).isEqualTo("switchboard.inventory");
    assertThat(Names.deadLetterQueueOf("inventory")).isEqualTo("switchboard.inventory.dlq");
  }

  @Test
  void a_routing_key_names_its_module_and_its_type() {
    assertThat(Names.moduleOf("orders.OrderPlaced")).isEqualTo("orders");
    assertThat(Names.typeOf("orders.OrderPlaced")).isEqualTo("OrderPlaced");
    assertThat(Names.typeOf("orders.")).isNull();
    assertThat(Names.typeOf("orders")).isNull();
    assertThat(Names.typeOf(null)).isNull();
  }

  @Test
  void a_queue_is_bound_by_the_modules_that_produce_its_types() {
    assertThat(Names.bindingKeys(List.of("OrderPlaced", "PaymentDeclined", "OrderConfirmed", "NoSuchType")))
        .containsExactly("orders.*", "payments.*");
  }
}
