package dev.switchboard.runtime.consumer;

import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import io.vertx.core.Future;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Caps what a dead letter keeps of a message that is not a CloudEvent: anyone who can write to a
 * topic could otherwise fill the store with megabytes of garbage, one dead letter at a time. The first
 * {@code maxRawBytes} bytes (UTF-8) are kept, enough to see what it was, followed by a marker saying
 * how long it was. Events that parse, and events refused for where they came from, are handed on
 * as they are.
 */
public final class CappedUnreadable implements Inbound {

  /** Follows a cut payload: {@code …[cut: 1048576 bytes in all]}. */
  static final String MARKER = "…[cut: %d bytes in all]";

  private final Inbound inbound;
  private final int maxRawBytes;

  public CappedUnreadable(Inbound inbound, int maxRawBytes) {
    if (maxRawBytes < 1) {
      throw new IllegalArgumentException("consumers.deadLetters.maxRawBytes must be positive");
    }
    this.inbound = inbound;
    this.maxRawBytes = maxRawBytes;
  }

  @Override
  public Future<Delivery> deliver(StoredEvent event) {
    return inbound.deliver(event);
  }

  @Override
  public Future<Delivery> deliverNew(StoredEvent event) {
    return inbound.deliverNew(event);
  }

  @Override
  public Future<Delivery> unreadable(String payload, String reason) {
    return inbound.unreadable(cap(payload, maxRawBytes), cap(reason, maxRawBytes));
  }

  /** A refused event is an event: handed on as it is, to be dead-lettered as refused with its envelope. */
  @Override
  public Future<Delivery> refuse(StoredEvent event, String reason) {
    return inbound.refuse(event, reason);
  }

  /** {@code text} if its UTF-8 form fits {@code maxBytes}, else its longest whole-character start that does, marked. */
  static String cap(String text, int maxBytes) {
    if (text == null || text.length() <= maxBytes / 3) {
      return text; // a char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars): no need to count
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.IGNORE);
    CharBuffer kept = CharBuffer.allocate(maxBytes);
    // decoding a prefix stops before a character cut in half: the rest of it is left in the buffer
    decoder.decode(ByteBuffer.wrap(bytes, 0, maxBytes), kept, false);
    kept.flip();
    return kept + String.format(MARKER, bytes.length);
  }
}
