package dev.switchboard.transports.rabbitmq;

import io.vertx.rabbitmq.RabbitMQMessage;

/**
 * A message as it arrived for a consumer: the link that delivered it (its delivery tag means
 * something there only), the tag, and the body.
 */
record Arrival(Link link, long deliveryTag, String routingKey, byte[] body) {

  static Arrival of(Link link, RabbitMQMessage message) {
    return new Arrival(link, message.envelope().getDeliveryTag(), message.envelope().getRoutingKey(),
        message.body().getBytes());
  }

  @Override
  public String toString() {
    return "message " + deliveryTag + " (" + routingKey + ") of " + link;
  }
}
