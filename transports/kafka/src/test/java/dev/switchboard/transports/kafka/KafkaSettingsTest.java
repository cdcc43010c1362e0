package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading {@code transport.kafka}, and the client properties made from it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaSettingsTest {

  @Test
  void every_key_of_the_section_is_read_and_a_missing_one_is_named() throws IOException {
    JsonObject kafka = DefaultConfig.section(new JsonObject(), "transport", "kafka");

    KafkaSettings settings = KafkaSettings.from(kafka);
    assertThat(settings.delivery().inFlight()).isEqualTo(256);
    assertThat(settings.delivery().redelivery().initialBackoffMillis()).isEqualTo(100);
    assertThat(settings.delivery().redelivery().maxBackoffMillis()).isEqualTo(5_000);
    assertThat(settings.delivery().drainTimeoutMillis()).isEqualTo(10_000);
    assertThat(kafka.fieldNames()).as("every key of transport.kafka is read").containsExactlyInAnyOrder(
        "bootstrapServers", "partitions", "replicationFactor", "retentionMillis", "maxInFlight", "maxPollRecords",
        "requestTimeoutMillis", "deliveryTimeoutMillis", "pingTimeoutMillis", "commitIntervalMillis",
        "drainTimeoutMillis", "retryInitialBackoffMillis", "retryMaxBackoffMillis", "securityProtocol",
        "saslMechanism", "saslJaasConfig", "sslTruststoreLocation", "sslTruststorePassword", "properties");
    for (String key : kafka.fieldNames()) {
      JsonObject without = kafka.copy();
      without.remove(key);
      assertThatThrownBy(() -> KafkaSettings.from(without)).as(key)
          .hasMessage("transport.kafka." + key + " is missing (config/default.json gives every key its default)");
    }
    assertThatThrownBy(() -> KafkaSettings.from(kafka.copy().put("partitions", "six")))
        .hasMessage("transport.kafka.partitions must be a whole number (was a string)");
  }

  @Test
  void secrets_never_show_in_the_settings_text() {
    KafkaSettings settings = KafkaTestSettings.from(new JsonObject()
        .put("securityProtocol", "sasl_ssl")
        .put("saslMechanism", "PLAIN")
        .put("saslJaasConfig", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";")
        .put("sslTruststorePassword", "trust-me")
        .put("properties", new JsonObject().put("ssl.keystore.password", "key-s3cret").put("linger.ms", 20)));

    assertThat(settings.toString())
        .doesNotContain("s3cret", "trust-me")
        .contains("SASL_SSL", "PLAIN", "[hidden]", "linger.ms=20");
  }

  @Test
  void security_settings_reach_every_client_and_only_when_set() {
    KafkaSettings settings = KafkaTestSettings.from(new JsonObject()
        .put("securityProtocol", "SASL_SSL").put("saslMechanism", "SCRAM-SHA-512")
        .put("saslJaasConfig", "jaas").put("sslTruststoreLocation", "/etc/trust.p12"));

    assertThat(ClientConfigs.producer(settings)).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("sasl.jaas.config", "jaas")
        .containsEntry("ssl.truststore.location", "/etc/trust.p12").doesNotContainKey("ssl.truststore.password");
    assertThat(ClientConfigs.consumer(settings, "inventory")).containsEntry("sasl.jaas.config", "jaas");
    assertThat(ClientConfigs.admin(settings)).containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void the_producer_is_idempotent_and_waits_for_all_replicas_within_the_configured_timeouts() {
    KafkaSettings settings = KafkaTestSettings.from(new JsonObject().put("bootstrapServers", "broker:9092")
        .put("requestTimeoutMillis", 3_000).put("deliveryTimeoutMillis", 7_000));

    assertThat(ClientConfigs.producer(settings))
        .containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("request.timeout.ms", 3_000)
        .containsEntry("delivery.timeout.ms", 7_000)
        .containsEntry("max.block.ms", 3_000);
  }

  @Test
  void a_consumer_joins_its_own_group_commits_by_hand_and_starts_a_new_group_from_the_beginning() {
    Map<String, String> consumer = ClientConfigs.consumer(KafkaTestSettings.defaults("broker:9092"), "inventory");

    assertThat(consumer)
        .containsEntry("group.id", "switchboard.inventory")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("max.poll.records", "500");
  }

  @Test
  void pass_through_properties_go_to_the_clients_that_know_them_and_may_change_defaults() {
    KafkaSettings settings = withProperties(Map.of("linger.ms", "20", "session.timeout.ms", "6000",
        "client.dns.lookup", "use_all_dns_ips"));

    assertThat(ClientConfigs.check(settings)).isEmpty();
    assertThat(ClientConfigs.producer(settings)).containsEntry("linger.ms", "20").doesNotContainKey("session.timeout.ms");
    assertThat(ClientConfigs.consumer(settings, "inventory")).containsEntry("session.timeout.ms", "6000")
        .doesNotContainKey("linger.ms");
    assertThat(ClientConfigs.admin(settings)).containsEntry("client.dns.lookup", "use_all_dns_ips");
  }

  @Test
  void pass_through_properties_cannot_weaken_a_guarantee_or_shadow_a_setting() {
    assertThatThrownBy(() -> ClientConfigs.check(withProperties(Map.of("enable.auto.commit", "true"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable.auto.commit");
    assertThatThrownBy(() -> ClientConfigs.check(withProperties(Map.of("acks", "1"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
    assertThatThrownBy(() -> ClientConfigs.check(withProperties(Map.of("request.timeout.ms", "1"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transport.kafka.requestTimeoutMillis");
  }

  @Test
  void the_brokers_host_name_check_cannot_be_turned_off() {
    assertThatThrownBy(() -> ClientConfigs.check(withProperties(Map.of("ssl.endpoint.identification.algorithm", ""))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ssl.endpoint.identification.algorithm");
    assertThat(ClientConfigs.check(withProperties(Map.of("ssl.endpoint.identification.algorithm", "https")))).isEmpty();
  }

  @Test
  void a_misspelt_pass_through_property_is_reported() {
    assertThat(ClientConfigs.check(withProperties(Map.of("linger.msec", "5"))))
        .containsExactly("linger.msec");
  }

  private static KafkaSettings withProperties(Map<String, String> properties) {
    JsonObject passThrough = new JsonObject();
    properties.forEach(passThrough::put);
    return KafkaTestSettings.from(new JsonObject().put("properties", passThrough));
  }

  @Test
  void settings_that_cannot_work_are_refused_with_the_key_to_fix() {
    assertThatThrownBy(() -> KafkaTestSettings.from(new JsonObject().put("maxInFlight", 0)))
        .hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> KafkaTestSettings.from(new JsonObject().put("bootstrapServers", " ")))
        .hasMessageContaining("bootstrapServers");
    assertThatThrownBy(() -> KafkaTestSettings.from(new JsonObject()
        .put("requestTimeoutMillis", 30_000).put("deliveryTimeoutMillis", 20_000)))
        .hasMessageContaining("deliveryTimeoutMillis");
    assertThatThrownBy(() -> KafkaTestSettings.from(new JsonObject()
        .put("retryInitialBackoffMillis", 500).put("retryMaxBackoffMillis", 100)))
        .hasMessageContaining("retryInitialBackoffMillis");
  }
}
