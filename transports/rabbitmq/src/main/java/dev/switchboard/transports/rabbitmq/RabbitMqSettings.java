package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import dev.switchboard.runtime.config.ConfigSection;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Settings of the RabbitMQ transport ({@code transport.rabbitmq.*}), read once from configuration.
 *
 * @param uri                       the broker, as an AMQP URI: {@code amqp://user:password@host:port/vhost}
 *                                  ({@code amqps://} for TLS). It holds a password: never log it, log
 *                                  {@link #broker()} instead
 * @param connectTimeoutMillis      how long opening a connection (TCP and AMQP handshake) may take
 * @param reconnectIntervalMillis   the wait between two attempts to reconnect, and how often an open connection
 *                                  is checked
 * @param requestTimeoutMillis      how long any one call to the broker may take: a declaration, an acknowledgement,
 *                                  and the wait for the confirmation of a publish
 * @param pingTimeoutMillis         how long a readiness check waits for the broker to answer
 * @param heartbeatSeconds          the AMQP heartbeat: a broker silent for about twice that long is taken for gone
 * @param delivery                  messages a consumer holds unacknowledged at most ({@code prefetch}: the broker's
 *                                  QoS, and the runtime's in-flight bound, across order ids), the waits before a
 *                                  message is handed over again while nothing durable can be recorded, and how long
 *                                  closing a subscription waits for the messages in hand ({@code drainTimeoutMillis};
 *                                  those left are delivered again later)
 * @param tls                       TLS settings
 */
public record RabbitMqSettings(
    String uri,
    int connectTimeoutMillis,
    long reconnectIntervalMillis,
    long requestTimeoutMillis,
    long pingTimeoutMillis,
    int heartbeatSeconds,
    DeliverySettings delivery,
    Tls tls) {

  /** The largest QoS prefetch count AMQP can carry. */
  static final int MAX_PREFETCH = 65_535;

  public RabbitMqSettings {
    require(uri != null && !uri.isBlank(), "uri is missing");
    uri = uri.strip();
    parse(uri); // fails early, and without echoing the URI (it holds a password)
    require(delivery != null, "delivery settings are missing");
    require(delivery.inFlight() <= MAX_PREFETCH, "prefetch must be at most " + MAX_PREFETCH + " (an AMQP short)");
    require(connectTimeoutMillis >= 1, "connectTimeoutMillis must be positive");
    require(reconnectIntervalMillis >= 1, "reconnectIntervalMillis must be positive");
    require(requestTimeoutMillis >= 1, "requestTimeoutMillis must be positive");
    require(pingTimeoutMillis >= 1, "pingTimeoutMillis must be positive");
    require(heartbeatSeconds >= 0, "heartbeatSeconds must not be negative (0 turns heartbeats off)");
    require(tls != null, "tls settings are missing");
  }

  /**
   * TLS towards the broker. On when {@code ssl} is set or the URI is {@code amqps://}. Certificates are
   * checked against the trust store ({@code trustStorePath}: JKS, PKCS#12 by a {@code .p12}/{@code .pfx}
   * name, or PEM by a {@code .pem}/{@code .crt} name), or the JVM's default trust when none is given;
   * {@code trustAll} turns the check off (tests only). The password is never logged.
   */
  public record Tls(boolean ssl, String trustStorePath, String trustStorePassword, boolean trustAll) {

    public static final Tls NONE = new Tls(false, "", "", false);

    public Tls {
      trustStorePath = trustStorePath == null ? "" : trustStorePath.strip();
      trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
    }

    @Override
    public String toString() {
      return "Tls[ssl=" + ssl + ", trustStorePath=" + trustStorePath + ", trustStorePassword="
          + (trustStorePassword.isEmpty() ? "" : "[hidden]") + ", trustAll=" + trustAll + "]";
    }
  }

  /** Reads {@code transport.rabbitmq}, every key of it: {@code config/default.json} gives each its default. */
  public static RabbitMqSettings from(JsonObject rabbitmq) {
    ConfigSection section = ConfigSection.of("transport.rabbitmq", rabbitmq);
    return new RabbitMqSettings(
        section.text("uri"),
        section.integer("connectTimeoutMillis"),
        section.wholeNumber("reconnectIntervalMillis"),
        section.wholeNumber("requestTimeoutMillis"),
        section.wholeNumber("pingTimeoutMillis"),
        section.integer("heartbeatSeconds"),
        DeliverySettings.from(section, "prefetch"),
        new Tls(
            section.flag("ssl"),
            section.text("trustStorePath"),
            section.text("trustStorePassword"),
            section.flag("trustAll")));
  }

  /** Messages a consumer holds unacknowledged at most: the broker's QoS, the runtime's in-flight bound. */
  public int prefetch() {
    return delivery.inFlight();
  }

  /** Whether connections use TLS: asked for, or implied by an {@code amqps://} URI. */
  public boolean usesTls() {
    return tls.ssl() || "amqps".equals(parse(uri).getScheme().toLowerCase(Locale.ROOT));
  }

  /** The broker's host name. */
  public String host() {
    return parse(uri).getHost();
  }

  /** The broker's port: the URI's, or the AMQP default of its scheme. */
  public int port() {
    URI parsed = parse(uri);
    return parsed.getPort() >= 0 ? parsed.getPort() : ("amqps".equalsIgnoreCase(parsed.getScheme()) ? 5671 : 5672);
  }

  /** The broker for logs and error messages: the URI without its password. */
  public String broker() {
    URI parsed = parse(uri);
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    String userInfo = parsed.getRawUserInfo();
    String user = userInfo == null ? "" : userInfo.split(":", 2)[0] + "@";
    String path = parsed.getRawPath();
    String vhost = path == null || path.isEmpty() ? "/" : URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
    return scheme + "://" + user + parsed.getHost() + ":" + port() + " (virtual host " + vhost + ")";
  }

  public RabbitMqSettings withPrefetch(int newPrefetch) {
    return withDelivery(new DeliverySettings(newPrefetch, delivery.redelivery(), delivery.drainTimeoutMillis()));
  }

  public RabbitMqSettings withReconnectIntervalMillis(long newReconnectIntervalMillis) {
    return new RabbitMqSettings(uri, connectTimeoutMillis, newReconnectIntervalMillis, requestTimeoutMillis,
        pingTimeoutMillis, heartbeatSeconds, delivery, tls);
  }

  public RabbitMqSettings withTimeouts(int newConnectTimeoutMillis, long newRequestTimeoutMillis) {
    return new RabbitMqSettings(uri, newConnectTimeoutMillis, reconnectIntervalMillis, newRequestTimeoutMillis,
        pingTimeoutMillis, heartbeatSeconds, delivery, tls);
  }

  public RabbitMqSettings withRetryBackoff(long newInitialMillis, long newMaxMillis) {
    return withDelivery(new DeliverySettings(delivery.inFlight(), RetryPolicy.withoutEnd(newInitialMillis, newMaxMillis),
        delivery.drainTimeoutMillis()));
  }

  private RabbitMqSettings withDelivery(DeliverySettings newDelivery) {
    return new RabbitMqSettings(uri, connectTimeoutMillis, reconnectIntervalMillis, requestTimeoutMillis,
        pingTimeoutMillis, heartbeatSeconds, newDelivery, tls);
  }

  /** Everything but secrets: the URI shows without its password. */
  @Override
  public String toString() {
    return "RabbitMqSettings[broker=" + broker()
        + ", connectTimeoutMillis=" + connectTimeoutMillis + ", reconnectIntervalMillis=" + reconnectIntervalMillis
        + ", requestTimeoutMillis=" + requestTimeoutMillis + ", pingTimeoutMillis=" + pingTimeoutMillis
        + ", heartbeatSeconds=" + heartbeatSeconds + ", delivery=" + delivery + ", tls=" + tls + "]";
  }

  private static URI parse(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException invalid) {
      // the reason only, never the text: it would show the password
      throw new IllegalArgumentException("transport.rabbitmq: uri is not a valid URI (" + invalid.getReason() + ")");
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    require(scheme.equals("amqp") || scheme.equals("amqps"), "uri must start with amqp:// or amqps://");
    require(parsed.getHost() != null, "uri must name a host");
    String path = parsed.getRawPath();
    require(path == null || path.isEmpty() || !path.substring(1).contains("/"),
        "uri may name one virtual host at most (URL-encode a \"/\" in its name as %2F)");
    return parsed;
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException("transport.rabbitmq: " + problem);
    }
  }
}
