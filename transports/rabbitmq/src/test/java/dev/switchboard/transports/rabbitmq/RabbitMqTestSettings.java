package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.json.JsonObject;

/** The wire's settings as a node reads them: {@code config/default.json}'s, with what a test sets on top. */
final class RabbitMqTestSettings {

  private RabbitMqTestSettings() {
  }

  static RabbitMqSettings from(JsonObject overrides) {
    return RabbitMqSettings.from(DefaultConfig.section(overrides, "transport", "rabbitmq"));
  }

  static RabbitMqSettings defaults(String uri) {
    return from(new JsonObject().put("uri", uri));
  }
}
