package dev.switchboard.transports.rabbitmq;

import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.impl.RabbitMQClientImpl;

/**
 * One open connection to the broker, from connect to loss: a client of its own, and a generation that
 * tells it from the connections before and after it. A delivery tag means something only on the link
 * (and the channel) that delivered the message, so acknowledgements name their link.
 */
final class Link {

  private final long generation;
  private final RabbitMQClient client;
  private final long channel;

  Link(long generation, RabbitMQClient client) {
    this.generation = generation;
    this.client = client;
    this.channel = channelOf(client);
  }

  long generation() {
    return generation;
  }

  RabbitMQClient client() {
    return client;
  }

  /**
   * Whether the connection and the very channel it opened with are still open. The client quietly
   * opens a new channel when its channel was closed (a channel error) but the connection was not: on
   * that channel there is neither our QoS nor our consumers, so it counts as lost too.
   */
  boolean healthy() {
    return client.isConnected() && client.isOpenChannel() && channelOf(client) == channel;
  }

  /** The client's count of the channels it opened; constant where the client cannot tell (never the case here). */
  private static long channelOf(RabbitMQClient client) {
    return client instanceof RabbitMQClientImpl impl ? impl.getChannelInstance() : 0;
  }

  @Override
  public String toString() {
    return "link #" + generation;
  }
}
