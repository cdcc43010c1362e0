package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.transport.delivery.Incoming;

import java.util.Set;

/**
 * A message in a consumer's queue as the runtime classifies it (see {@link Incoming}): its body, and
 * the module whose routing keys it came on. Its queue is bound by module, so it sees the module's
 * other types too: those are skipped.
 */
final class IncomingMessage {

  /** Unreadable messages are dead-lettered with AMQP's words: "the message has no body". */
  static final Incoming.Wording WORDING = new Incoming.Wording("message", "body");

  private IncomingMessage() {
  }

  /**
   * @param body       the message's body; an empty one is no body (AMQP sends no body frame for it)
   * @param routingKey the message's routing key, {@code <module>.<type>}: the channel of one producing module
   */
  static Incoming classify(byte[] body, String routingKey, Set<String> subscribedTypes) {
    byte[] present = body == null || body.length == 0 ? null : body;
    return Incoming.classify(present, Names.moduleOf(routingKey), subscribedTypes, WORDING);
  }
}
