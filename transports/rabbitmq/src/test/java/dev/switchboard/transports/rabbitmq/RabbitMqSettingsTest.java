package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.testing.DefaultConfig;
import dev.switchboard.runtime.testing.TestCertificates;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import io.vertx.core.json.JsonObject;
import io.vertx.rabbitmq.RabbitMQOptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RabbitMqSettingsTest {

  @Test
  void the_default_configuration_gives_these_settings() {
    RabbitMqSettings settings = RabbitMqTestSettings.from(new JsonObject());

    assertThat(settings.uri()).isEqualTo("amqp://guest:guest@127.0.0.1:5672");
    assertThat(settings.prefetch()).isEqualTo(256);
    assertThat(settings.connectTimeoutMillis()).isEqualTo(5_000);
    assertThat(settings.reconnectIntervalMillis()).isEqualTo(1_000);
    assertThat(settings.requestTimeoutMillis()).isEqualTo(5_000);
    assertThat(settings.pingTimeoutMillis()).isEqualTo(2_000);
    assertThat(settings.heartbeatSeconds()).isEqualTo(10);
    assertThat(settings.delivery()).isEqualTo(new DeliverySettings(256, RetryPolicy.withoutEnd(100, 5_000), 10_000));
    assertThat(settings.tls()).isEqualTo(RabbitMqSettings.Tls.NONE);
    assertThat(settings.usesTls()).isFalse();
  }

  @Test
  void every_key_of_the_section_is_read_and_a_missing_one_is_named() {
    JsonObject fromFile = DefaultConfig.section(new JsonObject(), "transport", "rabbitmq");

    assertThat(RabbitMqSettings.from(fromFile)).isEqualTo(RabbitMqTestSettings.from(new JsonObject()));
    assertThat(fromFile.fieldNames()).containsExactlyInAnyOrder("uri", "prefetch", "connectTimeoutMillis",
        "reconnectIntervalMillis", "requestTimeoutMillis", "pingTimeoutMillis", "heartbeatSeconds", "drainTimeoutMillis",
        "retryInitialBackoffMillis", "retryMaxBackoffMillis", "ssl", "trustStorePath", "trustStorePassword", "trustAll");
    for (String key : fromFile.fieldNames()) {
      JsonObject without = fromFile.copy();
      without.remove(key);
      assertThatThrownBy(() -> RabbitMqSettings.from(without)).as(key)
          .hasMessage("transport.rabbitmq." + key + " is missing (config/default.json gives every key its default)");
    }
    assertThatThrownBy(() -> RabbitMqSettings.from(fromFile.copy().put("ssl", "yes")))
        .hasMessage("transport.rabbitmq.ssl must be true or false (was a string)");
  }

  @Test
  void the_runtime_delivers_with_the_prefetch_in_hand_the_retry_backoff_and_the_drain_timeout() {
    RabbitMqSettings settings = RabbitMqTestSettings.from(new JsonObject().put("prefetch", 32)
        .put("retryInitialBackoffMillis", 50).put("retryMaxBackoffMillis", 800).put("drainTimeoutMillis", 3_000));

    assertThat(settings.delivery()).isEqualTo(new DeliverySettings(32, RetryPolicy.withoutEnd(50, 800), 3_000));
  }

  @Test
  void the_broker_shows_in_logs_without_the_password() {
    RabbitMqSettings settings = RabbitMqTestSettings.from(new JsonObject()
        .put("uri", "amqps://app:s3cret-word@broker.example/prod%2Feu")
        .put("trustStorePath", "/etc/ssl/rabbit.p12").put("trustStorePassword", "store-s3cret"));

    assertThat(settings.broker()).isEqualTo("amqps://app@broker.example:5671 (virtual host prod/eu)");
    assertThat(settings.toString()).doesNotContain("s3cret").contains("[hidden]");
  }

  @Test
  void an_amqps_uri_means_tls_checked_against_the_trust_store_and_the_host_name(@TempDir Path dir) {
    TestCertificates certificates = TestCertificates.in(dir);
    RabbitMqSettings settings = RabbitMqTestSettings.from(new JsonObject()
        .put("uri", "amqps://app:pw@broker.example/prod").put("trustStorePath", certificates.caPkcs12().toString())
        .put("trustStorePassword", TestCertificates.PASSWORD));

    RabbitMQOptions options = ClientOptions.of(settings, "switchboard-test");

    assertThat(settings.usesTls()).isTrue();
    assertThat(options.isSsl()).isTrue();
    assertThat(options.isTrustAll()).isFalse();
    assertThat(options.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(options.getTrustOptions()).isNotNull();
    // TLS by setSsl, so that the AMQP client never installs its trust-everything context first
    assertThat(options.getUri()).isEqualTo("amqp://app:pw@broker.example:5671/prod");
  }

  @Test
  void a_trust_store_that_cannot_be_read_is_refused_without_its_password() {
    RabbitMqSettings settings = RabbitMqTestSettings.from(new JsonObject()
        .put("uri", "amqps://app:pw@broker.example/prod").put("trustStorePath", "/nowhere/rabbit.p12")
        .put("trustStorePassword", "store-s3cret"));

    assertThatThrownBy(() -> ClientOptions.of(settings, "switchboard-test"))
        .hasMessageContaining("/nowhere/rabbit.p12").hasMessageNotContaining("store-s3cret");
  }

  @Test
  void the_clients_own_reconnection_is_off_since_the_transport_reconnects_and_declares_again() {
    RabbitMQOptions options = ClientOptions.of(RabbitMqTestSettings.from(new JsonObject()), "switchboard-test");

    assertThat(options.getReconnectAttempts()).isZero();
    assertThat(options.isAutomaticRecoveryEnabled()).isFalse();
    assertThat(options.getConnectionTimeout()).isEqualTo(5_000);
    assertThat(options.getRequestedHeartbeat()).isEqualTo(10);
    assertThat(options.isSsl()).isFalse();
  }

  @Test
  void a_uri_that_cannot_work_is_refused_without_being_echoed() {
    assertThatThrownBy(() -> RabbitMqTestSettings.defaults("http://guest:s3cret@127.0.0.1:5672"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amqp://").hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RabbitMqTestSettings.defaults("amqp://guest:s3cret@host/a/b"))
        .hasMessageContaining("one virtual host").hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RabbitMqTestSettings.defaults("amqp://guest:s3 cret@host"))
        .hasMessageNotContaining("s3 cret");
  }

  @Test
  void bounds_are_checked() {
    assertThatThrownBy(() -> RabbitMqTestSettings.from(new JsonObject().put("prefetch", 0)))
        .hasMessage("transport.rabbitmq.prefetch must be at least 1 (was 0)");
    assertThatThrownBy(() -> RabbitMqTestSettings.from(new JsonObject().put("prefetch", 65_536)))
        .hasMessage("transport.rabbitmq: prefetch must be at most 65535 (an AMQP short)");
    assertThatThrownBy(() -> RabbitMqTestSettings.from(new JsonObject().put("retryInitialBackoffMillis", 500)
        .put("retryMaxBackoffMillis", 100))).hasMessageContaining("retryInitialBackoffMillis");
  }
}
