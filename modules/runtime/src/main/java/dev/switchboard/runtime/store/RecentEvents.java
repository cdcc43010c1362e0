package dev.switchboard.runtime.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

  /** Every event held, by position. */
  private final TreeMap<Long, StoredEvent> held = new TreeMap<>();
  /** The same, by type: a reader of a few types finds its next events without looking at the others. */
  private final Map<String, TreeMap<Long, StoredEvent>> byType = new HashMap<>();
  /** Positions between the lowest and the highest held that are not held (not yet, or never). */
  private final TreeSet<Long> missing = new TreeSet<>();
  private volatile boolean soleAppender = true;

  /** Takes the events of a commit (called once it committed); commits may come in any order. */
  synchronized void add(List<StoredEvent> committed) {
    for (StoredEvent event : committed) {
      long position = event.position();
      if (held.isEmpty()) {
        hold(event);
        continue;
      }
      long lowest = held.firstKey();
      long highest = held.lastKey();
      if (position > highest + CAPACITY || position < lowest) {
        if (position < lowest) {
          continue; // older than anything held: readers that far back read the store anyway
        }
        clear(); // far ahead: what is held can no longer form a run with it
      } else if (position > highest + 1) {
        for (long gap = highest + 1; gap < position; gap++) {
          missing.add(gap);
        }
      } else {
        missing.remove(position);
      }
      hold(event);
    }
    while (held.size() > CAPACITY) {
      StoredEvent oldest = held.pollFirstEntry().getValue();
      byType.get(oldest.type()).remove(oldest.position());
      missing.headSet(held.firstKey()).clear();
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
    long next = afterPosition + 1;
    if (!held.containsKey(next)) {
      return Optional.empty();
    }
    Long hole = missing.higher(next);
    long end = hole == null ? Long.MAX_VALUE : hole; // the run from next is whole up to here
    List<StoredEvent> found = types.isEmpty() ? firstOf(held, afterPosition, end, limit)
        : firstOfTypes(types, afterPosition, end, limit);
    if (found.size() == limit || (hole == null && soleAppender)) {
      return Optional.of(found);
    }
    return Optional.empty(); // what lies beyond the run decides the answer: the store knows it
  }

  private List<StoredEvent> firstOfTypes(Set<String> types, long afterPosition, long end, int limit) {
    List<StoredEvent> found = new ArrayList<>();
    for (String type : types) {
      TreeMap<Long, StoredEvent> ofType = byType.get(type);
      if (ofType != null) {
        found.addAll(firstOf(ofType, afterPosition, end, limit));
      }
    }
    if (types.size() > 1) {
      found.sort(Comparator.comparingLong(StoredEvent::position));
    }
    return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
  }

  private static List<StoredEvent> firstOf(TreeMap<Long, StoredEvent> events, long afterPosition, long end, int limit) {
    List<StoredEvent> found = new ArrayList<>();
    for (StoredEvent event : events.subMap(afterPosition, false, end, false).values()) {
      found.add(event);
      if (found.size() == limit) {
        break;
      }
    }
    return found;
  }

  private void hold(StoredEvent event) {
    held.put(event.position(), event);
    byType.computeIfAbsent(event.type(), type -> new TreeMap<>()).put(event.position(), event);
  }

  private void clear() {
    held.clear();
    byType.clear();
    missing.clear();
  }
}
