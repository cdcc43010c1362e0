package dev.switchboard.transports.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The properties of the producer, the consumers and the admin client, from the settings. Three
 * layers, later wins: the transport's defaults, the pass-through {@code properties} (each given
 * only to the clients that know it), and what the transport's guarantees rest on, which the
 * pass-through may not change (checked by {@link #check(KafkaSettings)}).
 */
final class ClientConfigs {

  /** Properties the delivery guarantees depend on: idempotent acknowledged writes, manual commits. */
  private static final Set<String> GUARANTEED = Set.of(
      ProducerConfig.ACKS_CONFIG, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.GROUP_ID_CONFIG,
      ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);

  /** Properties that have a setting of their own in {@code transport.kafka}: one place for each. */
  private static final Map<String, String> OWN_SETTING = Map.ofEntries(
      Map.entry("bootstrap.servers", "bootstrapServers"),
      Map.entry("request.timeout.ms", "requestTimeoutMillis"),
      Map.entry("default.api.timeout.ms", "requestTimeoutMillis"),
      Map.entry("max.block.ms", "requestTimeoutMillis"),
      Map.entry("delivery.timeout.ms", "deliveryTimeoutMillis"),
      Map.entry("max.poll.records", "maxPollRecords"),
      Map.entry("security.protocol", "securityProtocol"),
      Map.entry("sasl.mechanism", "saslMechanism"),
      Map.entry("sasl.jaas.config", "saslJaasConfig"),
      Map.entry("ssl.truststore.location", "sslTruststoreLocation"),
      Map.entry("ssl.truststore.password", "sslTruststorePassword"));

  /** Kafka's host-name check of the brokers' certificates, on by default ({@code https}): it stays on. */
  private static final String ENDPOINT_IDENTIFICATION = "ssl.endpoint.identification.algorithm";

  private ClientConfigs() {
  }

  /**
   * Refuses pass-through properties that would weaken a guarantee or shadow a setting.
   *
   * @return the pass-through properties no client knows (likely misspelt), for a warning
   */
  static Set<String> check(KafkaSettings settings) {
    Set<String> unknown = new TreeSet<>();
    for (String name : settings.properties().keySet()) {
      if (GUARANTEED.contains(name)) {
        throw new IllegalArgumentException("transport.kafka.properties may not set " + name
            + ": the transport's delivery guarantees rest on its own value");
      }
      if (name.equals(ENDPOINT_IDENTIFICATION)
          && !"https".equalsIgnoreCase(String.valueOf(settings.properties().get(name)).strip())) {
        throw new IllegalArgumentException("transport.kafka.properties may not set " + name + " to anything but"
            + " https: the brokers' certificates must name the hosts connected to");
      }
      if (OWN_SETTING.containsKey(name)) {
        throw new IllegalArgumentException("transport.kafka.properties may not set " + name
            + ": use transport.kafka." + OWN_SETTING.get(name));
      }
      if (!ProducerConfig.configNames().contains(name) && !ConsumerConfig.configNames().contains(name)
          && !AdminClientConfig.configNames().contains(name)) {
        unknown.add(name);
      }
    }
    return unknown;
  }

  /** An idempotent producer whose every write is acknowledged by all in-sync replicas. */
  static Map<String, Object> producer(KafkaSettings settings) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.LINGER_MS_CONFIG, KafkaSettings.LINGER_MILLIS);
    // at most 5 keeps the order of a partition's records through retries of an idempotent producer
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.putAll(passThrough(settings, ProducerConfig.configNames()));
    config.putAll(common(settings));
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, settings.deliveryTimeoutMillis());
    // send() waits this long at most for metadata or buffer space, instead of the default minute
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.requestTimeoutMillis());
    return config;
  }

  /** A consumer in group {@code switchboard.<consumer>} that commits only what was handled. */
  static Map<String, String> consumer(KafkaSettings settings, String consumer) {
    Map<String, String> config = new LinkedHashMap<>();
    // a new group reads from the start: events published before its first start are its too
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // records of aborted transactions of foreign producers are no events
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.putAll(passThrough(settings, ConsumerConfig.configNames()));
    common(settings).forEach((key, value) -> config.put(key, String.valueOf(value)));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.groupOf(consumer));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(settings.maxPollRecords()));
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(settings.requestTimeoutMillis()));
    return config;
  }

  static Map<String, Object> admin(KafkaSettings settings) {
    Map<String, Object> config = new HashMap<>(passThrough(settings, AdminClientConfig.configNames()));
    config.putAll(common(settings));
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, settings.requestTimeoutMillis());
    return config;
  }

  private static Map<String, Object> common(KafkaSettings settings) {
    Map<String, Object> config = new HashMap<>(settings.security().clientProperties());
    config.put("bootstrap.servers", settings.bootstrapServers());
    config.put("request.timeout.ms", settings.requestTimeoutMillis());
    return config;
  }

  private static Map<String, String> passThrough(KafkaSettings settings, Set<String> known) {
    Map<String, String> config = new HashMap<>();
    settings.properties().forEach((name, value) -> {
      if (known.contains(name)) {
        config.put(name, value);
      }
    });
    return config;
  }
}
