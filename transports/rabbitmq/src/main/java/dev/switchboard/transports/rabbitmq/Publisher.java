package dev.switchboard.transports.rabbitmq;

import io.vertx.core.Future;
import io.vertx.rabbitmq.RabbitMQClient;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes on the publishing connection, with publisher confirms: a publish succeeds only once the
 * broker has confirmed every one of its messages (for persistent messages to durable queues, that is
 * once they are on disk). Anything else fails it (not connected, refused, not confirmed within
 * {@code requestTimeoutMillis}), and the caller publishes again: a message may then arrive twice,
 * which consumers' inboxes make harmless.
 */
final class Publisher {

  private final RabbitConnection connection;
  private final RabbitMqSettings settings;

  Publisher(RabbitConnection connection, RabbitMqSettings settings) {
    this.connection = connection;
    this.settings = settings;
  }

  /**
   * What the publishing connection declares each time it opens: confirms on its channel, the
   * exchange, and the queues of every known consumer (see {@link KnownConsumers}).
   */
  static RabbitConnection.OnOpen topology(KnownConsumers known) {
    return link -> {
      RabbitMQClient client = link.client();
      Future<Void> chain = client.confirmSelect().compose(v -> Declarations.exchange(client));
      for (Map.Entry<String, Set<String>> consumer : known.all().entrySet()) {
        chain = chain.compose(v -> Declarations.consumer(client, consumer.getKey(), consumer.getValue()));
      }
      return chain;
    };
  }

  Future<Void> publish(List<OutgoingMessage> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    return connection.call(client -> publishAndConfirm(client, messages), settings.requestTimeoutMillis())
        .recover(failure -> Future.failedFuture(failure instanceof BrokerUnavailable ? failure
            : new BrokerUnavailable("RabbitMQ at " + settings.broker() + " did not confirm " + messages.size()
                + " message(s): " + failure.getMessage(), failure)));
  }

  /**
   * The client runs a connection's calls one after the other, in the order they are made: the wait
   * for confirms comes after every publish of the batch (and covers whatever else was published
   * before it, which only makes it stricter).
   */
  private Future<Void> publishAndConfirm(RabbitMQClient client, List<OutgoingMessage> messages) {
    List<Future<Void>> sent = messages.stream()
        .map(message -> client.basicPublish(message.exchange(), message.routingKey(), message.properties(),
            message.body()))
        .toList();
    Future<Void> confirmed = client.waitForConfirms(settings.requestTimeoutMillis());
    return Future.all(sent).compose(v -> confirmed);
  }
}
