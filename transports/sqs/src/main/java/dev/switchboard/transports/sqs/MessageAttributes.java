package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Route;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message attributes a message travels with, for filters and tools that do not parse bodies: a
 * {@code type} first (the event type, or {@code DeadLetter}), then the message's headers
 * ({@code content-type}, the {@code ce_*} attributes, {@code traceparent}) in their order, as long as
 * SQS's limit of {@value #MAX_ATTRIBUTES} allows (an event has nine headers at most: all fit). Empty
 * values are left out: SQS refuses them.
 */
final class MessageAttributes {

  static final int MAX_ATTRIBUTES = 10;
  static final String TYPE = "type";
  static final String DATA_TYPE = "String";

  private MessageAttributes() {
  }

  /** Attribute name to its string value, in the order they are sent. */
  static Map<String, String> of(Outgoing message) {
    Map<String, String> attributes = new LinkedHashMap<>();
    String type = message.route() instanceof Route.Event event ? event.type() : message.headers().get(TYPE);
    if (type != null && !type.isEmpty()) {
      attributes.put(TYPE, type);
    }
    for (Map.Entry<String, String> header : message.headers().entrySet()) {
      if (attributes.size() == MAX_ATTRIBUTES) {
        break;
      }
      if (header.getValue() != null && !header.getValue().isEmpty()) {
        attributes.putIfAbsent(header.getKey(), header.getValue());
      }
    }
    return attributes;
  }
}
