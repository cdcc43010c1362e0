package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.transport.wire.Arrival;
import io.vertx.core.Future;
import io.vertx.rabbitmq.RabbitMQMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A message as it arrived on a consumer's queue. Its delivery tag means something only on the link
 * (connection and channel) that delivered it: it is settled there or not at all, since the broker
 * takes back the messages of a lost link and delivers them again.
 *
 * <p>It is settled once at most: a second acknowledgement of a tag makes the broker close the
 * channel, and with it every consumer of the connection.
 */
final class RabbitArrival implements Arrival {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitArrival.class);

  private final RabbitConnection connection;
  private final Link link;
  private final long deliveryTag;
  private final String routingKey;
  private final byte[] body;
  private final String queue;
  private final AtomicBoolean settled = new AtomicBoolean();

  RabbitArrival(RabbitConnection connection, Link link, long deliveryTag, String routingKey, byte[] body,
                String queue) {
    this.connection = connection;
    this.link = link;
    this.deliveryTag = deliveryTag;
    this.routingKey = routingKey;
    this.body = body;
    this.queue = queue;
  }

  static RabbitArrival of(RabbitConnection connection, Link link, RabbitMQMessage message, String queue) {
    return new RabbitArrival(connection, link, message.envelope().getDeliveryTag(), message.envelope().getRoutingKey(),
        message.body().getBytes(), queue);
  }

  /** Null for an empty body: AMQP sends no body frame for it, and the runtime says "the message has no body". */
  @Override
  public byte[] body() {
    return body == null || body.length == 0 ? null : body;
  }

  /** The module of its routing key {@code <module>.<type>}: the channel of one producing module. */
  @Override
  public String channelModule() {
    return Names.moduleOf(routingKey);
  }

  /** The type of its routing key {@code <module>.<type>}: a queue gets every event of the modules it binds. */
  @Override
  public String typeHeader() {
    return Names.typeOf(routingKey);
  }

  @Override
  public String where() {
    return "message " + deliveryTag + " (" + routingKey + ") of " + queue + " on " + link;
  }

  /** While its link is the connection's current one, and it was neither acknowledged nor given back. */
  @Override
  public boolean held() {
    return !settled.get() && connection.isCurrent(link);
  }

  /**
   * Sent without waiting for the broker (it has no answer to an acknowledgement but a closed channel),
   * so it holds up neither the message's order nor its consumer. Never fails: an acknowledgement that
   * is lost makes the broker deliver the message again, which is harmless.
   */
  @Override
  public Future<Void> acknowledge() {
    if (settleOnce()) {
      connection.sendOn(link, client -> client.basicAck(deliveryTag, false), where() + " acknowledged");
    }
    return Future.succeededFuture();
  }

  /** Puts the message back in its queue, in its place, for whoever consumes it next. Never fails. */
  @Override
  public Future<Void> release() {
    if (!settleOnce() || !connection.isCurrent(link)) {
      return Future.succeededFuture(); // settled before, or its link is gone: the broker has it back already
    }
    return connection.callOn(link, client -> client.basicNack(deliveryTag, false, true)).recover(failure -> {
      LOG.debug("{} not given back; the broker delivers it again: {}", where(), failure.toString());
      return Future.succeededFuture();
    });
  }

  Link link() {
    return link;
  }

  /** Marks it settled, the first time only: whether this was the first (a tag is settled once at most). */
  private boolean settleOnce() {
    return settled.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return where();
  }
}
