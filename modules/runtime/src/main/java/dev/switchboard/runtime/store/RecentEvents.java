package dev.switchboard.runtime.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The events this node committed last, in position order: the node's one feed of committed events
 * (DESIGN §1.1). Readers of the log (consumers, projections) take what was just appended from here,
 * already decoded, instead of each reading and parsing it again; the store is read only to catch up.
 *
 * <p>A read is served only when it can be answered exactly as the store would answer it:
 * <ul>
 *   <li>the next position after the reader's is held here. A position not held (appended before this
 *       node started or dropped for room, or one that never committed: a rolled-back append leaves a
 *       hole in PostgreSQL's numbering) sends the reader to the store, which is authoritative. Both
 *       stores make positions visible in commit order, so a held position was committed, and every
 *       position below it was committed too or never will be;</li>
 *   <li>the answer does not depend on what lies beyond the held run: either the limit is reached
 *       within it, or the run reaches the newest event held and this node is the only one appending
 *       (then the newest held is the log's head). At the first sign of another appender (another
 *       node's NOTIFY on a shared PostgreSQL), the feed stops answering such reads for good.</li>
 * </ul>
 * Events are handed to every reader as they are: nothing may change an envelope's data.
 */
public final class RecentEvents {

  /** How many events are held: enough for readers a few batches behind the head. */
  static final int CAPACITY = 16_384;
  /** How far a read looks for events of its types before the store's type index is the better way. */
  static final int MAX_SCAN = 4_096;

  private final TreeMap<Long, StoredEvent> held = new TreeMap<>();
  private volatile boolean soleAppender = true;

  /** Takes the events of a commit (called once it committed). */
  synchronized void add(List<StoredEvent> committed) {
    for (StoredEvent event : committed) {
      held.put(event.position(), event);
    }
    while (held.size() > CAPACITY) {
      held.pollFirstEntry();
    }
  }

  /** Another node appends to the same store: the newest event held is no longer the log's head. */
  void othersAppend() {
    soleAppender = false;
  }

  /**
   * The events after {@code afterPosition} of these types (all, if none given), at most
   * {@code limit}, as the store would return them; empty when the store must be read instead.
   */
  public synchronized Optional<List<StoredEvent>> after(long afterPosition, Set<String> types, int limit) {
    if (!held.containsKey(afterPosition + 1)) {
      return Optional.empty();
    }
    List<StoredEvent> found = new ArrayList<>();
    long expected = afterPosition + 1;
    int scanned = 0;
    for (Map.Entry<Long, StoredEvent> entry : held.tailMap(afterPosition, false).entrySet()) {
      if (entry.getKey() != expected || scanned == MAX_SCAN) {
        return Optional.empty(); // what lies beyond the run decides the answer: the store knows it
      }
      StoredEvent event = entry.getValue();
      if (types.isEmpty() || types.contains(event.type())) {
        found.add(event);
        if (found.size() == limit) {
          return Optional.of(found);
        }
      }
      expected++;
      scanned++;
    }
    return soleAppender ? Optional.of(found) : Optional.empty();
  }
}
