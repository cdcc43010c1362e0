package dev.switchboard.runtime.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's feed of committed events: the last {@code capacity} events its store's writer
 * committed, decoded, from which readers of the log that keep up are served without a query.
 *
 * <p>The writer hands over each committed transaction's events in position order ({@link #committed}),
 * before it tells anyone that they committed, so a reader woken by a commit finds its events here.
 * The feed holds an unbroken run of positions: every event between its first and its last is in it.
 * Events that do not follow on (positions another node's commit took, or that a rolled-back
 * transaction drew and left unused) start the run again, so the feed never answers across a
 * position it has not seen. It answers only a reader inside the run and only while the run is the
 * newest stretch of the log it knows of: a reader behind it, or on a node that heard of a newer
 * commit elsewhere ({@link #heardOf}), reads the database, as before. So does a reader at its end,
 * unless this node's writer is the log's only one (the embedded store): where other nodes append,
 * only the database knows whether one committed since.
 *
 * <p>Where the feed knows the log's end (the embedded store), it also answers for a stream whose
 * first event it holds ({@link #stream}): every later event of the stream is in the run after it.
 * A module reads an order's stream at each step of its saga, and the order began a moment before.
 *
 * <p>The events handed out are shared by every reader: they are read, never changed (an upcaster
 * copies what it changes). Thread-safe: the writer's thread adds, readers on any thread read.
 */
public final class RecentEvents {

  private final StoredEvent[] ring;
  private final boolean soleWriter;
  /** Where the oldest event is in {@link #ring}. */
  private int oldest;
  private int size;
  /**
   * The same events by type, each list in position order: a reader of a few types finds its events
   * without looking at every event of other types (a read model of a rare type would otherwise scan
   * the whole feed at each commit).
   */
  private final Map<String, OfType> byType = new HashMap<>();
  /**
   * The streams whose first event is in the feed, each with its events in sequence order (a list
   * that is replaced, never changed, so that a reader may keep it): the whole history of each.
   */
  private final Map<String, List<StoredEvent>> wholeStreams = new HashMap<>();
  /** Reads answered here so far. */
  private long served;

  /**
   * @param capacity   the events kept at most; 0 keeps none, and every read goes to the database
   * @param soleWriter whether every event of the log is appended through this feed's writer, so
   *                   that the feed knows the log's end (one embedded store), or other nodes may
   *                   append too (PostgreSQL)
   */
  public RecentEvents(int capacity, boolean soleWriter) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
    }
    this.ring = new StoredEvent[capacity];
    this.soleWriter = soleWriter;
  }

  /**
   * Adds the events of one committed transaction (in any order); transactions in the order of
   * their commits. Call it before the commit is reported, on the writer's thread.
   */
  public void committed(List<StoredEvent> events) {
    if (events.isEmpty() || ring.length == 0) {
      return;
    }
    List<StoredEvent> inOrder = new ArrayList<>(events);
    inOrder.sort((a, b) -> Long.compare(a.position(), b.position()));
    synchronized (this) {
      for (StoredEvent event : inOrder) {
        if (size > 0 && event.position() != last() + 1) {
          clear(); // a position not seen lies between: the run starts again here
        }
        add(event);
      }
    }
  }

  /** Another node committed up to {@code position}: the feed stops answering until it has caught up. */
  public synchronized void heardOf(long position) {
    if (size > 0 && position > last()) {
      clear();
    }
  }

  /** Others may have committed, who knows up to where (notifications were lost): forget the run. */
  public synchronized void forget() {
    clear();
  }

  /**
   * The events after {@code position}, in log order, of the given types (all if empty), at most
   * {@code limit}; or null if the feed cannot tell and the database must be read.
   */
  public List<StoredEvent> after(long position, Set<String> types, int limit) {
    List<StoredEvent> found = new ArrayList<>();
    synchronized (this) {
      if (size == 0 || position < first() - 1 || position > last() || (position == last() && !soleWriter)) {
        return null;
      }
      served++;
      if (types.isEmpty()) {
        for (int index = (int) (position + 1 - first()); index < size && found.size() < limit; index++) {
          found.add(ring[(oldest + index) % ring.length]);
        }
      } else {
        mergeOfTypes(position, types, limit, found);
      }
    }
    return found;
  }

  /** The events of {@code types} after {@code position}, in position order, at most {@code limit}. */
  private void mergeOfTypes(long position, Set<String> types, int limit, List<StoredEvent> found) {
    OfType[] lists = new OfType[types.size()];
    int[] next = new int[types.size()];
    int count = 0;
    for (String type : types) {
      OfType list = byType.get(type);
      if (list != null) {
        lists[count] = list;
        next[count++] = list.firstAfter(position);
      }
    }
    while (found.size() < limit) {
      int earliest = -1;
      for (int i = 0; i < count; i++) {
        if (next[i] < lists[i].end() && (earliest < 0
            || lists[i].at(next[i]).position() < lists[earliest].at(next[earliest]).position())) {
          earliest = i;
        }
      }
      if (earliest < 0) {
        return;
      }
      found.add(lists[earliest].at(next[earliest]++));
    }
  }

  /**
   * Every event of a stream, in sequence order, if the feed holds its first event and knows the
   * log's end; else null, and the database must be read (a stream begun before the feed's run, or
   * not begun: the feed cannot tell those apart).
   */
  public List<StoredEvent> stream(String streamId) {
    if (!soleWriter) {
      return null;
    }
    synchronized (this) {
      List<StoredEvent> events = wholeStreams.get(streamId);
      if (events != null) {
        served++;
      }
      return events;
    }
  }

  /**
   * The newest position the feed answers up to, or 0 if it answers nothing now (the database must
   * say). A read of the log that the feed answers short has read up to at least this, and one it
   * leaves to the database reads further still: this is the head that callers who conclude "nothing
   * of my types up to the head" may use (see {@link ReadModelStore#head}).
   */
  public synchronized long newest() {
    return size == 0 ? 0 : last();
  }

  /** How many reads the feed answered so far (each spared a query). */
  public synchronized long servedReads() {
    return served;
  }

  private long first() {
    return ring[oldest].position();
  }

  private long last() {
    return ring[(oldest + size - 1) % ring.length].position();
  }

  private void add(StoredEvent event) {
    if (size == ring.length) {
      StoredEvent leaving = ring[oldest];
      byType.get(leaving.type()).dropOldest();
      if (soleWriter && leaving.envelope().sequence() == 1) {
        wholeStreams.remove(leaving.streamId()); // its history begins before the feed now
      }
      ring[oldest] = null;
      oldest = (oldest + 1) % ring.length;
      size--;
    }
    ring[(oldest + size) % ring.length] = event;
    size++;
    byType.computeIfAbsent(event.type(), type -> new OfType()).add(event);
    if (soleWriter) {
      addToItsStream(event);
    }
  }

  private void addToItsStream(StoredEvent event) {
    long sequence = event.envelope().sequence();
    if (sequence == 1) {
      wholeStreams.put(event.streamId(), List.of(event));
      return;
    }
    List<StoredEvent> before = wholeStreams.get(event.streamId());
    if (before == null) {
      return; // begun before the feed's run
    }
    if (before.get(before.size() - 1).envelope().sequence() != sequence - 1) {
      wholeStreams.remove(event.streamId()); // cannot happen on a log that numbers streams without gaps: ask the database
      return;
    }
    List<StoredEvent> after = new ArrayList<>(before.size() + 1);
    after.addAll(before);
    after.add(event);
    wholeStreams.put(event.streamId(), Collections.unmodifiableList(after));
  }

  private void clear() {
    for (int index = 0; index < size; index++) {
      ring[(oldest + index) % ring.length] = null;
    }
    oldest = 0;
    size = 0;
    byType.clear();
    wholeStreams.clear();
  }

  /** The feed's events of one type, in position order; the oldest leave from the front. */
  private static final class OfType {
    private final ArrayList<StoredEvent> events = new ArrayList<>();
    /** The events before it have left the feed (removed in bulk now and then). */
    private int start;

    void add(StoredEvent event) {
      events.add(event);
    }

    void dropOldest() {
      events.set(start++, null);
      if (start > 64 && start > events.size() / 2) {
        events.subList(0, start).clear();
        start = 0;
      }
    }

    int end() {
      return events.size();
    }

    StoredEvent at(int index) {
      return events.get(index);
    }

    /** The index of the first event after {@code position} (binary search), or {@link #end()}. */
    int firstAfter(long position) {
      int low = start;
      int high = events.size();
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (events.get(middle).position() <= position) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return low;
    }
  }
}
