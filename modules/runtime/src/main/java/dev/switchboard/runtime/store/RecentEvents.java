package dev.switchboard.runtime.store;

import java.util.ArrayList;
import java.util.List;
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
 * newest stretch of the log it knows of: a reader behind it, at its end (another node may have
 * committed since), or on a node that heard of a newer commit elsewhere ({@link #heardOf}) reads the
 * database, as before.
 *
 * <p>The events handed out are shared by every reader: they are read, never changed (an upcaster
 * copies what it changes). Thread-safe: the writer's thread adds, readers on any thread read.
 */
public final class RecentEvents {

  private final StoredEvent[] ring;
  /** Where the oldest event is in {@link #ring}. */
  private int oldest;
  private int size;
  /** Reads answered here so far. */
  private long served;

  /** @param capacity the events kept at most; 0 keeps none, and every read goes to the database */
  public RecentEvents(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
    }
    this.ring = new StoredEvent[capacity];
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
      if (size == 0 || position < first() - 1 || position >= last()) {
        return null;
      }
      served++;
      for (int index = (int) (position + 1 - first()); index < size && found.size() < limit; index++) {
        StoredEvent event = ring[(oldest + index) % ring.length];
        if (types.isEmpty() || types.contains(event.type())) {
          found.add(event);
        }
      }
    }
    return found;
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
      ring[oldest] = null;
      oldest = (oldest + 1) % ring.length;
      size--;
    }
    ring[(oldest + size) % ring.length] = event;
    size++;
  }

  private void clear() {
    for (int index = 0; index < size; index++) {
      ring[(oldest + index) % ring.length] = null;
    }
    oldest = 0;
    size = 0;
  }
}
