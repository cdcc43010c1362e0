package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.transport.TransportFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The app finds this transport by {@code transport.type = kafka} alone. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaTransportFactoryTest {

  @Test
  void the_kafka_transport_is_found_by_its_type_and_made_from_its_settings_without_a_broker(Vertx vertx) {
    TransportFactory factory = ServiceLoader.load(TransportFactory.class).stream().map(ServiceLoader.Provider::get)
        .filter(candidate -> candidate.type().equals("kafka")).findFirst().orElseThrow();

    // creating connects to nothing: a node starts whether or not the broker is up yet
    Transport transport = factory.create(vertx, null, new JsonObject().put("bootstrapServers", "127.0.0.1:1"));

    assertThat(transport.name()).isEqualTo("kafka");
    Await.result(transport.close());
  }

  @Test
  void settings_that_would_weaken_a_guarantee_stop_the_transport_from_being_made(Vertx vertx) {
    JsonObject settings = new JsonObject().put("properties", new JsonObject().put("enable.auto.commit", "true"));

    assertThatThrownBy(() -> new KafkaTransportFactory().create(vertx, null, settings))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.auto.commit");
  }
}
