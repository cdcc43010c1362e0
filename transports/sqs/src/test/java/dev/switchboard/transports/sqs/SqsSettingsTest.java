package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading {@code transport.sqs}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqsSettingsTest {

  @Test
  void every_key_of_the_section_is_read_and_a_missing_one_is_named() throws IOException {
    JsonObject sqs = DefaultConfig.section(new JsonObject(), "transport", "sqs");

    assertThat(SqsSettings.from(sqs)).isEqualTo(SqsTestSettings.from(new JsonObject()));
    assertThat(sqs.fieldNames()).as("every key of transport.sqs is read").containsExactlyInAnyOrder(
        "endpoint", "region", "accessKeyId", "secretAccessKey", "maxReceiveCount", "visibilityTimeoutSeconds",
        "waitTimeSeconds", "maxInFlight", "requestTimeoutMillis", "pingTimeoutMillis", "drainTimeoutMillis",
        "retryInitialBackoffMillis", "retryMaxBackoffMillis", "subscribersRefreshMillis");
    for (String key : sqs.fieldNames()) {
      JsonObject without = sqs.copy();
      without.remove(key);
      assertThatThrownBy(() -> SqsSettings.from(without)).as(key)
          .hasMessage("transport.sqs." + key + " is missing (config/default.json gives every key its default)");
    }
    assertThatThrownBy(() -> SqsSettings.from(sqs.copy().put("maxReceiveCount", 2.5)))
        .hasMessage("transport.sqs.maxReceiveCount must be a whole number (was 2.5)");
  }

  @Test
  void the_defaults_reach_aws_itself_through_the_sdks_default_credentials() {
    SqsSettings defaults = SqsTestSettings.from(new JsonObject());

    assertThat(defaults.endpoint()).isEmpty();
    assertThat(defaults.region()).isEqualTo("eu-west-1");
    assertThat(defaults.hasStaticCredentials()).isFalse();
    assertThat(defaults.maxReceiveCount()).isEqualTo(10);
    assertThat(defaults.visibilityTimeoutSeconds()).isEqualTo(30);
    assertThat(defaults.waitTimeSeconds()).isEqualTo(10);
  }

  @Test
  void the_profile_points_at_a_local_elasticmq() throws IOException {
    JsonObject profile = new JsonObject(Files.readString(Path.of("..", "..", "config", "sqs.json")))
        .getJsonObject("transport");

    assertThat(profile.getString("type")).isEqualTo("sqs");
    assertThat(SqsTestSettings.from(profile.getJsonObject("sqs")).endpoint()).isEqualTo("http://127.0.0.1:9324");
  }

  @Test
  void the_secret_key_never_shows_in_the_settings_text() {
    SqsSettings settings = SqsTestSettings.from(new JsonObject().put("accessKeyId", "AKIAEXAMPLE")
        .put("secretAccessKey", "wJalr-s3cret"));

    assertThat(settings.hasStaticCredentials()).isTrue();
    assertThat(settings.toString()).doesNotContain("wJalr-s3cret").contains("AKIAEXAMPLE", "[hidden]");
  }

  @Test
  void settings_that_cannot_work_are_refused_with_the_key_that_is_wrong() {
    assertRefused(new JsonObject().put("endpoint", "127.0.0.1:9324"), "transport.sqs.endpoint must be an http(s) URI");
    assertRefused(new JsonObject().put("region", " "), "transport.sqs.region must name an AWS region");
    assertRefused(new JsonObject().put("accessKeyId", "AKIAEXAMPLE"),
        "transport.sqs.accessKeyId and secretAccessKey must be set together");
    assertRefused(new JsonObject().put("secretAccessKey", "s3cret"),
        "transport.sqs.accessKeyId and secretAccessKey must be set together");
    assertRefused(new JsonObject().put("maxReceiveCount", 0), "transport.sqs.maxReceiveCount must be between 1 and 1000");
    assertRefused(new JsonObject().put("waitTimeSeconds", 21), "transport.sqs.waitTimeSeconds must be between 0 and 20");
    assertRefused(new JsonObject().put("visibilityTimeoutSeconds", 11),
        "transport.sqs.visibilityTimeoutSeconds must be at least waitTimeSeconds + 2");
    assertRefused(new JsonObject().put("visibilityTimeoutSeconds", 43_201),
        "transport.sqs.visibilityTimeoutSeconds must be at most 43200");
    assertRefused(new JsonObject().put("maxInFlight", 0), "transport.sqs.maxInFlight must be at least 1");
    assertRefused(new JsonObject().put("requestTimeoutMillis", 0), "transport.sqs.requestTimeoutMillis must be positive");
    assertRefused(new JsonObject().put("pingTimeoutMillis", 0), "transport.sqs.pingTimeoutMillis must be positive");
    assertRefused(new JsonObject().put("drainTimeoutMillis", -1), "transport.sqs.drainTimeoutMillis must not be negative");
    assertRefused(new JsonObject().put("retryInitialBackoffMillis", 0),
        "transport.sqs.retryInitialBackoffMillis must be positive");
    assertRefused(new JsonObject().put("retryMaxBackoffMillis", 50),
        "transport.sqs.retryMaxBackoffMillis must be at least retryInitialBackoffMillis");
    assertRefused(new JsonObject().put("subscribersRefreshMillis", 0),
        "transport.sqs.subscribersRefreshMillis must be positive");
  }

  @Test
  void a_refusal_never_names_the_secret_key() {
    assertThatThrownBy(() -> SqsTestSettings.from(new JsonObject().put("accessKeyId", "AKIAEXAMPLE")
        .put("secretAccessKey", "wJalr-s3cret").put("maxInFlight", 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("wJalr-s3cret");
  }

  @Test
  void the_factory_makes_a_wire_named_sqs() {
    assertThat(new SqsWireFactory().type()).isEqualTo("sqs");
  }

  private static void assertRefused(JsonObject sqs, String message) {
    assertThatThrownBy(() -> SqsTestSettings.from(sqs)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
