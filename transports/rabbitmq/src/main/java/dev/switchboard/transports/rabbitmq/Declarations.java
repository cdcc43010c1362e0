package dev.switchboard.transports.rabbitmq;

import io.vertx.core.Future;
import io.vertx.rabbitmq.RabbitMQClient;

import java.util.Set;

/**
 * Declares the transport's topology. Every declaration is idempotent (same name, same flags), so it
 * is simply made again on every (re)connect: whatever the broker lost comes back, the rest is left
 * as it is. Made one after the other, so that a binding never precedes its queue.
 */
final class Declarations {

  private static final boolean DURABLE = true;
  private static final boolean EXCLUSIVE = true;
  private static final boolean AUTO_DELETE = true;

  private Declarations() {
  }

  /** The durable topic exchange {@value Names#EXCHANGE}. */
  static Future<Void> exchange(RabbitMQClient client) {
    return client.exchangeDeclare(Names.EXCHANGE, Names.EXCHANGE_TYPE, DURABLE, !AUTO_DELETE);
  }

  /**
   * A consumer's durable queue, bound to the exchange by the modules of its types, and its durable
   * dead-letter queue.
   */
  static Future<Void> consumer(RabbitMQClient client, String consumer, Set<String> types) {
    String queue = Names.queueOf(consumer);
    Future<Void> chain = client.queueDeclare(queue, DURABLE, !EXCLUSIVE, !AUTO_DELETE)
        .compose(ok -> client.queueDeclare(Names.deadLetterQueueOf(consumer), DURABLE, !EXCLUSIVE, !AUTO_DELETE))
        .mapEmpty();
    for (String key : Names.bindingKeys(types)) {
      chain = chain.compose(v -> client.queueBind(queue, Names.EXCHANGE, key));
    }
    return chain;
  }

  /**
   * Messages ready in a consumer's queue (not those delivered and awaiting their acknowledgement),
   * told by declaring the queue again as {@link #consumer} does: unlike a passive declaration, it
   * cannot close the channel, and every consumer on it, should the queue be gone.
   */
  static Future<Long> ready(RabbitMQClient client, String consumer) {
    return client.queueDeclare(Names.queueOf(consumer), DURABLE, !EXCLUSIVE, !AUTO_DELETE)
        .map(declared -> (long) declared.getMessageCount());
  }
}
