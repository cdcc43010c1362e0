package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.json.JsonObject;

/** The wire's settings as a node reads them: {@code config/default.json}'s, with what a test sets on top. */
final class SqsTestSettings {

  private SqsTestSettings() {
  }

  static SqsSettings from(JsonObject overrides) {
    return SqsSettings.from(DefaultConfig.section(overrides, "transport", "sqs"));
  }
}
