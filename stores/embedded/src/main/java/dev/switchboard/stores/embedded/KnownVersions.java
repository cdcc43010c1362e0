package dev.switchboard.stores.embedded;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The current version of recently written keys (a stream's version, a document's revision), kept
 * by the writer so that a write need not read it back from the file.
 *
 * <p>Sound only because the writer is the file's one writer (a cluster refuses the embedded store)
 * and every write of these keys goes through it and tells this memory; should the memory still be
 * wrong, the file's own guards refuse the write and the key is forgotten. A version is learnt as
 * the writer's transaction goes: the version a write makes is staged for that write, a released
 * savepoint moves it to the batch, and only a committed batch makes it known. A write rolled back
 * to its savepoint loses what it staged; a batch rolled back loses everything it staged and also
 * forgets what was known of the keys it touched, since a failed commit may leave doubt about them.
 * What is not known is read from the file, so the memory may forget at any time: it keeps the
 * {@code capacity} keys used most recently.
 *
 * <p>Not thread-safe, on purpose: only the writer's thread uses it.
 */
final class KnownVersions<K> implements SqliteWriter.TransactionListener {

  private final Map<K, Long> known;
  private final Map<K, Long> batch = new HashMap<>();
  private final Map<K, Long> work = new HashMap<>();

  KnownVersions(int capacity) {
    this.known = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Long> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The version of {@code key} as the current write sees it, or null when it must be read from the file. */
  Long find(K key) {
    Long version = work.get(key);
    if (version == null) {
      version = batch.get(key);
    }
    return version != null ? version : known.get(key);
  }

  /**
   * The version of {@code key} as the current write sees it, or 0 when this writer does not know it:
   * for a key expected to be new, whose existence a unique key or revision check refuses instead.
   */
  long findOrNew(K key) {
    Long version = find(key);
    return version != null ? version : 0;
  }

  /** What the current write made the version of {@code key}. */
  void stage(K key, long version) {
    work.put(key, version);
  }

  /** Forgets {@code key} at once, staged or known: the file showed it at another version than remembered. */
  void forget(K key) {
    work.remove(key);
    batch.remove(key);
    known.remove(key);
  }

  @Override
  public void workReleased() {
    batch.putAll(work);
    work.clear();
  }

  @Override
  public void workRolledBack() {
    work.clear();
  }

  @Override
  public void batchCommitted() {
    known.putAll(batch);
    batch.clear();
    work.clear();
  }

  @Override
  public void batchRolledBack() {
    for (K key : batch.keySet()) {
      known.remove(key);
    }
    for (K key : work.keySet()) {
      known.remove(key);
    }
    batch.clear();
    work.clear();
  }
}
