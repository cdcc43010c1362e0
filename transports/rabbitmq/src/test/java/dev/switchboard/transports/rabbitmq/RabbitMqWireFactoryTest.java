package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.transport.TransportFactory;
import dev.switchboard.runtime.transport.wire.WireFactory;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RabbitMqWireFactoryTest {

  @Test
  void the_app_finds_the_wire_by_its_type_alone() {
    assertThat(ServiceLoader.load(WireFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(factory -> {
          assertThat(factory.type()).isEqualTo("rabbitmq");
          assertThat(factory).isInstanceOf(RabbitMqWireFactory.class);
        });
  }

  @Test
  void no_transport_of_its_own_is_registered_beside_it_since_the_node_would_take_that_first() {
    assertThat(ServiceLoader.load(TransportFactory.class).stream().map(ServiceLoader.Provider::get))
        .noneSatisfy(factory -> assertThat(factory.type()).isEqualTo("rabbitmq"));
  }

  @Test
  void the_rabbitmq_profile_selects_it_with_the_local_broker() {
    assertThat(ConfigFile.read("rabbitmq.json").getJsonObject("transport").getString("type")).isEqualTo("rabbitmq");
    assertThat(ConfigFile.read("rabbitmq.json").getJsonObject("transport").getJsonObject("rabbitmq").getString("uri"))
        .isEqualTo("amqp://guest:guest@127.0.0.1:5672");
  }
}
