package dev.switchboard.runtime.transport.wire;

import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.consumer.RetryPolicy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The delivery keys every wire's section has, read once for all of them. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeliverySettingsTest {

  private static JsonObject wire() {
    return new JsonObject().put("prefetch", 32).put("drainTimeoutMillis", 3_000)
        .put("retryInitialBackoffMillis", 50).put("retryMaxBackoffMillis", 800);
  }

  private static DeliverySettings read(JsonObject values) {
    return DeliverySettings.from(ConfigSection.of("transport.example", values), "prefetch");
  }

  @Test
  void the_in_flight_bound_is_read_under_the_wires_own_name_for_it() {
    assertThat(read(wire())).isEqualTo(new DeliverySettings(32, RetryPolicy.withoutEnd(50, 800), 3_000));
  }

  @Test
  void a_value_that_cannot_work_is_refused_naming_its_key() {
    assertThatThrownBy(() -> read(wire().put("prefetch", 0)))
        .hasMessage("transport.example.prefetch must be at least 1 (was 0)");
    assertThatThrownBy(() -> read(wire().put("drainTimeoutMillis", -1)))
        .hasMessage("transport.example.drainTimeoutMillis must not be negative (was -1)");
    assertThatThrownBy(() -> read(wire().put("retryInitialBackoffMillis", 0)))
        .hasMessage("transport.example.retryInitialBackoffMillis must be positive (was 0)");
    assertThatThrownBy(() -> read(wire().put("retryMaxBackoffMillis", 10)))
        .hasMessage("transport.example.retryMaxBackoffMillis must be at least retryInitialBackoffMillis (was 10, 50)");
  }

  @Test
  void a_missing_key_is_named() {
    JsonObject without = wire();
    without.remove("drainTimeoutMillis");
    assertThatThrownBy(() -> read(without))
        .hasMessage("transport.example.drainTimeoutMillis is missing (config/default.json gives every key its default)");
  }
}
