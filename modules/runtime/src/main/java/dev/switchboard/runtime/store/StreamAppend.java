package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventEnvelope;

import java.util.List;

/**
 * New events for one stream, on the condition that the stream is at {@code expectedVersion}
 * (or {@link ExpectedVersion#ANY}). The store numbers them {@code expectedVersion + 1, + 2, …}.
 */
public record StreamAppend(String streamId, long expectedVersion, List<EventEnvelope> events) {

  public StreamAppend {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an append needs at least one event");
    }
    events = List.copyOf(events);
  }
}
