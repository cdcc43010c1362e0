package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultConfig;
import dev.switchboard.runtime.transport.wire.Wire;
import dev.switchboard.runtime.transport.wire.WireFactory;
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

/** The node finds this wire by {@code transport.type = kafka} alone. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaWireFactoryTest {

  @Test
  void the_kafka_wire_is_found_by_its_type_and_made_from_its_settings_without_a_broker(Vertx vertx) {
    WireFactory factory = ServiceLoader.load(WireFactory.class).stream().map(ServiceLoader.Provider::get)
        .filter(candidate -> candidate.type().equals("kafka")).findFirst().orElseThrow();

    // creating connects to nothing: a node starts whether or not the broker is up yet
    Wire wire = factory.create(vertx, kafka(new JsonObject().put("bootstrapServers", "127.0.0.1:1")));

    assertThat(wire.name()).isEqualTo("kafka");
    Await.result(wire.close());
  }

  @Test
  void the_runtime_delivers_with_the_configured_in_flight_bound_redelivery_backoff_and_drain(Vertx vertx) {
    Wire wire = new KafkaWireFactory().create(vertx, kafka(new JsonObject().put("bootstrapServers", "127.0.0.1:1")
        .put("maxInFlight", 7).put("retryInitialBackoffMillis", 30).put("retryMaxBackoffMillis", 900)
        .put("drainTimeoutMillis", 1_234)));

    assertThat(wire.delivery().inFlight()).isEqualTo(7);
    assertThat(wire.delivery().redelivery().initialBackoffMillis()).isEqualTo(30);
    assertThat(wire.delivery().redelivery().maxBackoffMillis()).isEqualTo(900);
    assertThat(wire.delivery().drainTimeoutMillis()).isEqualTo(1_234);
    assertThat(wire.wording()).as("unreadable records are dead-lettered in Kafka's words: the record has no value")
        .satisfies(wording -> {
          assertThat(wording.message()).isEqualTo("record");
          assertThat(wording.body()).isEqualTo("value");
        });
    Await.result(wire.close());
  }

  @Test
  void settings_that_would_weaken_a_guarantee_stop_the_wire_from_being_made(Vertx vertx) {
    JsonObject settings = kafka(new JsonObject().put("properties", new JsonObject().put("enable.auto.commit", "true")));

    assertThatThrownBy(() -> new KafkaWireFactory().create(vertx, settings))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.auto.commit");
  }

  /** {@code transport.kafka} as a node has it: {@code config/default.json}'s, with the test's on top. */
  private static JsonObject kafka(JsonObject overrides) {
    return DefaultConfig.section(overrides, "transport", "kafka");
  }
}
