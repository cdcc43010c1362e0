package dev.switchboard.transports.rabbitmq;

import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.rabbitmq.RabbitMQOptions;

import java.util.Locale;

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
        .setUri(settings.uri())
        .setConnectionName(connectionName)
        .setConnectionTimeout(settings.connectTimeoutMillis())
        .setHandshakeTimeout(settings.connectTimeoutMillis())
        .setRequestedHeartbeat(settings.heartbeatSeconds())
        .setAutomaticRecoveryEnabled(false)
        .setReconnectAttempts(0);
    if (settings.usesTls()) {
      // also for an amqps:// URI, where the AMQP client alone would trust every certificate
      RabbitMqSettings.Tls tls = settings.tls();
      options.setSsl(true).setTrustAll(tls.trustAll());
      if (!tls.trustAll() && !tls.trustStorePath().isEmpty()) {
        options.setTrustOptions(trustStore(tls));
      }
    }
    return options;
  }

  private static TrustOptions trustStore(RabbitMqSettings.Tls tls) {
    String path = tls.trustStorePath();
    String name = path.toLowerCase(Locale.ROOT);
    if (name.endsWith(".p12") || name.endsWith(".pfx")) {
      return new PfxOptions().setPath(path).setPassword(tls.trustStorePassword());
    }
    if (name.endsWith(".pem") || name.endsWith(".crt")) {
      return new PemTrustOptions().addCertPath(path);
    }
    return new JksOptions().setPath(path).setPassword(tls.trustStorePassword());
  }
}
