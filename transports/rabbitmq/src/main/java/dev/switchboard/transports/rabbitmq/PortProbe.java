package dev.switchboard.transports.rabbitmq;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * Whether anything listens on the broker's port, asked before each attempt to connect. The RabbitMQ
 * client logs every failed attempt as an error with its stack trace; during an outage, with an
 * attempt every {@code reconnectIntervalMillis}, that would drown the log. A refused port is the
 * usual outage, and this tells it quietly.
 */
final class PortProbe {

  private final RabbitMqSettings settings;
  private final NetClient client;

  PortProbe(Vertx vertx, RabbitMqSettings settings) {
    this.settings = settings;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(settings.connectTimeoutMillis()));
  }

  /** Succeeds if a TCP connection to the port opens (it is closed at once). */
  Future<Void> reachable() {
    return client.connect(settings.port(), settings.host())
        .compose(socket -> socket.close())
        .recover(failure -> Future.failedFuture(new BrokerUnavailable("nothing answers on " + settings.host() + ":"
            + settings.port() + " (" + failure.getMessage() + ")", failure)));
  }

  void close() {
    client.close();
  }
}
