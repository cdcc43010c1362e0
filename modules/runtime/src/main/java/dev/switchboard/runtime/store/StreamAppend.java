package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventEnvelope;

import java.util.ArrayList;
import java.util.List;

/**
 * New events for one stream, on the condition that the stream is at {@code expectedVersion}
 * (or {@link ExpectedVersion#ANY}). The store numbers them {@code expectedVersion + 1, + 2, …}.
 *
 * <p>The rule of an append with a version check is here, once for every store: which version the
 * events follow ({@link #follows}), how they are numbered ({@link #numberedAfter}) and how a refusal
 * reads. A store brings how it learns the stream's version and how its keys refuse a second writer.
 */
public record StreamAppend(String streamId, long expectedVersion, List<EventEnvelope> events) {

  public StreamAppend {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an append needs at least one event");
    }
    events = List.copyOf(events);
  }

  /** Whether the append takes whatever the stream holds, so that its events follow only once the stream is read. */
  public boolean takesAnyVersion() {
    return expectedVersion == ExpectedVersion.ANY;
  }

  /**
   * The version the events follow, the stream being at {@code current}: {@code current} itself.
   *
   * @throws ConcurrencyConflict if the append expects the stream at another version (its events
   *     would overwrite or leave a gap)
   */
  public long follows(long current) {
    if (!takesAnyVersion() && expectedVersion != current) {
      throw refusedAt(current);
    }
    return current;
  }

  /** The events, numbered {@code after + 1, after + 2, …}. */
  public List<EventEnvelope> numberedAfter(long after) {
    List<EventEnvelope> numbered = new ArrayList<>(events.size());
    long version = after;
    for (EventEnvelope event : events) {
      numbered.add(event.withSequence(++version));
    }
    return numbered;
  }

  /** The refusal of this append by its stream, found at version {@code current}. */
  public ConcurrencyConflict refusedAt(long current) {
    return new ConcurrencyConflict("stream " + streamId + " is at version " + current + ", expected " + expectedVersion);
  }

  /**
   * The refusal of this append by the store's unique keys, the stream being at {@code current} after
   * all: another writer numbered the same versions, or an event id repeats.
   */
  public ConcurrencyConflict refusedByUniqueKey(long current, String detail) {
    return !takesAnyVersion() && current != expectedVersion ? refusedAt(current) : writtenConcurrently(detail);
  }

  /** The refusal of this append by the store's unique keys, where the stream's version cannot be read. */
  public ConcurrencyConflict writtenConcurrently(String detail) {
    return new ConcurrencyConflict("stream " + streamId + " was written concurrently, or an event id repeats: " + detail);
  }
}
