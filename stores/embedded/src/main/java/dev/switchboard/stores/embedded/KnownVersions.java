package dev.switchboard.stores.embedded;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The current version of recently written keys (a stream's version, a document's revision and
 * body), kept by the writer so that a write need not read it back from the file, and readers of
 * documents need not either.
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
 * <p>The writer's thread stages, finds and forgets; what is known ({@link #committed}) may also be
 * asked from any thread. A batch's versions become known after its {@code COMMIT} and before anyone
 * hears that it committed, so a reader who heard of a commit is answered with what it wrote, or with
 * something newer.
 *
 * @param <V> what is remembered of a key: a version, or a version with what it holds
 */
final class KnownVersions<K, V> implements SqliteWriter.TransactionListener {

  private final Map<K, V> known;
  private final Map<K, V> batch = new HashMap<>();
  private final Map<K, V> work = new HashMap<>();

  KnownVersions(int capacity) {
    this.known = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The version of {@code key} as the current write sees it, or null when it must be read from the file. */
  V find(K key) {
    V version = work.get(key);
    if (version == null) {
      version = batch.get(key);
    }
    return version != null ? version : committed(key);
  }

  /** The version of {@code key} the last committed batch left, or null when the file must say: from any thread. */
  V committed(K key) {
    synchronized (known) {
      return known.get(key);
    }
  }

  /** What the current write made the version of {@code key}. */
  void stage(K key, V version) {
    work.put(key, version);
  }

  /** Forgets {@code key} at once, staged or known: the file showed it at another version than remembered. */
  void forget(K key) {
    work.remove(key);
    batch.remove(key);
    synchronized (known) {
      known.remove(key);
    }
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
    synchronized (known) {
      known.putAll(batch);
    }
    batch.clear();
    work.clear();
  }

  @Override
  public void batchRolledBack() {
    synchronized (known) {
      known.keySet().removeAll(batch.keySet());
      known.keySet().removeAll(work.keySet());
    }
    batch.clear();
    work.clear();
  }
}
