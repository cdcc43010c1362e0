package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventEnvelope;

/**
 * Names streams. A stream is the history of one aggregate of one module: {@code <module>/<subject>},
 * e.g. {@code orders/3f2a…} or {@code inventory/3f2a…}. So the stream of an event follows from its
 * envelope ({@code source} and {@code subject}), and a consumer can tell it without a look-up.
 */
public final class Streams {

  private Streams() {
  }

  public static String of(String module, String subject) {
    return module + "/" + subject;
  }

  public static String of(EventEnvelope envelope) {
    String source = envelope.source();
    return of(source.startsWith("/") ? source.substring(1) : source, envelope.subject());
  }
}
