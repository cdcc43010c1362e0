package dev.switchboard.transports.rabbitmq;

import io.vertx.rabbitmq.RabbitMQOptions;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of one Vert.x RabbitMQ client from the transport's settings.
 *
 * <p>The client's own reconnection is off ({@code reconnectAttempts = 0}): it re-creates neither the
 * topology nor the QoS, and after a reconnect it would take acknowledgements of messages delivered on
 * the old channel to the new one, where the broker refuses them by closing the channel.
 * {@link RabbitConnection} reconnects instead, with a fresh client each time.
 */
final class ClientOptions {

  private ClientOptions() {
  }

  /** @param connectionName shown by the broker's tools, e.g. {@code switchboard-publishing} */
  static RabbitMQOptions of(RabbitMqSettings settings, String connectionName) {
    RabbitMQOptions options = new RabbitMQOptions()
        .setUri(settings.usesTls() ? plainSchemeUri(settings) : settings.uri())
        .setConnectionName(connectionName)
        .setConnectionTimeout(settings.connectTimeoutMillis())
        .setHandshakeTimeout(settings.connectTimeoutMillis())
        .setRequestedHeartbeat(settings.heartbeatSeconds())
        .setAutomaticRecoveryEnabled(false)
        .setReconnectAttempts(0);
    if (settings.usesTls()) {
      // also for an amqps:// URI, where the AMQP client alone would trust every certificate
      RabbitMqSettings.Tls tls = settings.tls();
      // Vert.x refuses to build the TLS context without an algorithm; BrokerTrust makes the AMQP
      // client's own sockets check the host name, which Vert.x does not pass on to them
      options.setSsl(true).setTrustAll(tls.trustAll()).setHostnameVerificationAlgorithm(tls.trustAll() ? "" : "HTTPS");
      if (!tls.trustAll()) {
        options.setTrustOptions(BrokerTrust.of(tls));
      }
    }
    return options;
  }

  /**
   * The URI with {@code amqp://} and an explicit port: given {@code amqps://}, the AMQP client would
   * first install a trust-everything context of its own (and log a security alert) before Vert.x
   * replaces it with the checking one set above; TLS is on by {@code setSsl} all the same.
   */
  private static String plainSchemeUri(RabbitMqSettings settings) {
    URI parsed = URI.create(settings.uri());
    String rest = settings.uri().substring(parsed.getScheme().length()); // "://user:pw@host:port/vhost"
    if (parsed.getPort() < 0) {
      String authority = parsed.getRawAuthority();
      rest = rest.replaceFirst(Pattern.quote(authority), Matcher.quoteReplacement(authority + ":" + settings.port()));
    }
    return "amqp" + rest;
  }
}
