package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.json.JsonObject;

/** The wire's settings as a node reads them: {@code config/default.json}'s, with what a test sets on top. */
final class KafkaTestSettings {

  private KafkaTestSettings() {
  }

  static KafkaSettings from(JsonObject overrides) {
    return KafkaSettings.from(DefaultConfig.section(overrides, "transport", "kafka"));
  }

  static KafkaSettings defaults(String bootstrapServers) {
    return from(new JsonObject().put("bootstrapServers", bootstrapServers));
  }
}
