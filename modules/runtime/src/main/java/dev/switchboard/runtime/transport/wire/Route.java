package dev.switchboard.runtime.transport.wire;

/**
 * Where an outgoing message goes, in the runtime's words; each wire maps it to its own channels
 * (a topic, a routing key, the FIFO queues of the consumers of a type).
 */
public sealed interface Route {

  /**
   * An event, to the channel of the module that produces its type, for every consumer of the type.
   *
   * @param module the producing module ({@code orders}); for a type the catalog does not know, the
   *               event's source made safe as a name, so that one odd event never holds up the relay
   * @param type   the event type ({@code OrderPlaced})
   */
  record Event(String module, String type) implements Route {
  }

  /** A copy of one consumer's dead letter, to its dead-letter channel, for the broker's tools. */
  record DeadLetters(String consumer) implements Route {
  }
}
