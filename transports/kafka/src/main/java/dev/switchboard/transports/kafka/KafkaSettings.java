package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Settings of the Kafka wire ({@code transport.kafka.*}), read once from configuration.
 *
 * @param bootstrapServers      {@code host:port} list of brokers to start from
 * @param partitions            partitions of each topic the transport creates
 * @param replicationFactor     replicas of each topic the transport creates
 * @param retentionMillis       {@code retention.ms} of each topic the transport creates
 * @param maxPollRecords        records fetched by one poll at most: the most that can wait, polled but not
 *                              yet handled, besides {@code maxInFlight}
 * @param requestTimeoutMillis  how long one request to a broker may take (producer, consumer and admin
 *                              client), and how long any admin call (creating topics) and any blocking
 *                              client call (waiting for metadata, committing offsets) may take in all
 * @param deliveryTimeoutMillis how long a published record may take to be acknowledged, retries included,
 *                              before its publish fails (at least {@code requestTimeoutMillis} plus the
 *                              producer's linger)
 * @param pingTimeoutMillis     how long a readiness check waits for the cluster to answer
 * @param commitIntervalMillis  how often a consumer commits the offsets it has handled, when they moved
 * @param delivery              records of one consumer in hand at once, across order ids ({@code maxInFlight},
 *                              past which the consumer's partitions are paused), the waits before a record is
 *                              handed over again while nothing durable can be recorded, and how long closing a
 *                              consumer waits for the records in hand ({@code drainTimeoutMillis}; those left are
 *                              delivered again, after a restart or to another node)
 * @param security              how the clients connect and authenticate
 * @param properties            any other client property, passed to each client that knows it (the ones
 *                              the transport's guarantees rest on cannot be changed)
 */
public record KafkaSettings(
    String bootstrapServers,
    int partitions,
    short replicationFactor,
    long retentionMillis,
    int maxPollRecords,
    int requestTimeoutMillis,
    int deliveryTimeoutMillis,
    int pingTimeoutMillis,
    long commitIntervalMillis,
    DeliverySettings delivery,
    Security security,
    Map<String, String> properties) {

  /** How long the producer waits to fill a batch; part of the lower bound of the delivery timeout. */
  static final int LINGER_MILLIS = 5;

  public KafkaSettings {
    require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers must name at least one broker");
    require(partitions >= 1, "partitions must be at least 1");
    require(replicationFactor >= 1, "replicationFactor must be at least 1");
    require(retentionMillis >= 1 || retentionMillis == -1, "retentionMillis must be positive (or -1: keep forever)");
    require(maxPollRecords >= 1, "maxPollRecords must be at least 1");
    require(requestTimeoutMillis >= 1, "requestTimeoutMillis must be positive");
    require(deliveryTimeoutMillis >= requestTimeoutMillis + LINGER_MILLIS,
        "deliveryTimeoutMillis must be at least requestTimeoutMillis + " + LINGER_MILLIS + " (was "
            + deliveryTimeoutMillis + ", requestTimeoutMillis " + requestTimeoutMillis + ")");
    require(pingTimeoutMillis >= 1, "pingTimeoutMillis must be positive");
    require(commitIntervalMillis >= 1, "commitIntervalMillis must be positive");
    require(delivery != null, "delivery settings are missing");
    require(security != null, "security settings are missing");
    require(properties != null, "properties must be an object (may be empty)");
    properties = Map.copyOf(properties);
  }

  /**
   * How the clients reach the brokers. Empty strings mean "not set" (the Kafka default). The JAAS
   * configuration and the trust store password are secrets: never logged, and left out of
   * {@link #toString()}.
   */
  public record Security(String protocol, String saslMechanism, String saslJaasConfig,
                         String sslTruststoreLocation, String sslTruststorePassword) {

    public static final Security PLAINTEXT = new Security("PLAINTEXT", "", "", "", "");

    public Security {
      protocol = protocol == null || protocol.isBlank() ? "PLAINTEXT" : protocol.strip().toUpperCase(Locale.ROOT);
      saslMechanism = orEmpty(saslMechanism);
      saslJaasConfig = orEmpty(saslJaasConfig);
      sslTruststoreLocation = orEmpty(sslTruststoreLocation);
      sslTruststorePassword = orEmpty(sslTruststorePassword);
    }

    /** The client properties these settings stand for (only the ones that are set). */
    Map<String, String> clientProperties() {
      Map<String, String> client = new LinkedHashMap<>();
      client.put("security.protocol", protocol);
      putIfSet(client, "sasl.mechanism", saslMechanism);
      putIfSet(client, "sasl.jaas.config", saslJaasConfig);
      putIfSet(client, "ssl.truststore.location", sslTruststoreLocation);
      putIfSet(client, "ssl.truststore.password", sslTruststorePassword);
      return client;
    }

    @Override
    public String toString() {
      return "Security[protocol=" + protocol + ", saslMechanism=" + saslMechanism
          + ", saslJaasConfig=" + redacted(saslJaasConfig) + ", sslTruststoreLocation=" + sslTruststoreLocation
          + ", sslTruststorePassword=" + redacted(sslTruststorePassword) + "]";
    }

    private static void putIfSet(Map<String, String> client, String key, String value) {
      if (!value.isEmpty()) {
        client.put(key, value);
      }
    }
  }

  /** Reads {@code transport.kafka}, every key of it: {@code config/default.json} gives each its default. */
  public static KafkaSettings from(JsonObject kafka) {
    ConfigSection section = ConfigSection.of("transport.kafka", kafka);
    Map<String, String> properties = new LinkedHashMap<>();
    section.object("properties").forEach(entry -> properties.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new KafkaSettings(
        section.text("bootstrapServers"),
        section.integer("partitions"),
        (short) section.integer("replicationFactor"),
        section.wholeNumber("retentionMillis"),
        section.integer("maxPollRecords"),
        section.integer("requestTimeoutMillis"),
        section.integer("deliveryTimeoutMillis"),
        section.integer("pingTimeoutMillis"),
        section.wholeNumber("commitIntervalMillis"),
        DeliverySettings.from(section, "maxInFlight"),
        new Security(
            section.text("securityProtocol"),
            section.text("saslMechanism"),
            section.text("saslJaasConfig"),
            section.text("sslTruststoreLocation"),
            section.text("sslTruststorePassword")),
        properties);
  }

  /** Everything but secrets: pass-through properties whose names suggest one show as {@code [hidden]}. */
  @Override
  public String toString() {
    String passThrough = properties.entrySet().stream()
        .map(e -> e.getKey() + "=" + (looksSecret(e.getKey()) ? redacted(e.getValue()) : e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
    return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", partitions=" + partitions
        + ", replicationFactor=" + replicationFactor + ", retentionMillis=" + retentionMillis
        + ", maxPollRecords=" + maxPollRecords
        + ", requestTimeoutMillis=" + requestTimeoutMillis + ", deliveryTimeoutMillis=" + deliveryTimeoutMillis
        + ", pingTimeoutMillis=" + pingTimeoutMillis + ", commitIntervalMillis=" + commitIntervalMillis
        + ", delivery=" + delivery + ", security=" + security
        + ", properties=" + passThrough + "]";
  }

  static boolean looksSecret(String propertyName) {
    String name = propertyName.toLowerCase(Locale.ROOT);
    return name.contains("password") || name.contains("jaas") || name.contains("secret") || name.contains("token")
        || name.endsWith(".key") || name.contains("credential");
  }

  private static String redacted(String secret) {
    return secret.isEmpty() ? "" : "[hidden]";
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value.strip();
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException("transport.kafka: " + problem);
    }
  }
}
