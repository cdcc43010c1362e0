package dev.switchboard.stores.embedded;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import dev.switchboard.runtime.store.DocumentKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The streams and documents the file may hold, as a Bloom filter: a stream or document it was never
 * told of is not in the file, so reading it needs no query. A business module reads its own stream of
 * an order, and its document of it, before its first write of them: without this each such read
 * went to a reader connection to find nothing. A key it was told of may still be absent (about one
 * in a hundred at the filter's capacity, and documents deleted since): those are read as before.
 *
 * <p>Sound only because the writer is the file's one writer: the filter is filled from the file in
 * the background from the start (until then every key may be held: a 400,000-order file takes
 * seconds to read), and the writer tells it of each stream it began and each document it created,
 * once their batch committed and before anyone hears that it did (and when it failed: a failed
 * commit may have committed after all); a filter being filled is told too,
 * from before its read of the file begins, so that nothing committed meanwhile is missed. When the
 * keys reach the filter's capacity, a larger one is filled so; the old one answers until then (more
 * keys to read, never a wrong answer).
 *
 * <p>Thread-safe: the writer's thread adds, readers on any thread ask (Guava's filter is lock-free).
 */
final class KeysInTheFile implements SqliteWriter.TransactionListener {

  private static final Logger LOG = LoggerFactory.getLogger(KeysInTheFile.class);
  private static final double FALSE_POSITIVES = 0.01;
  /** About 1.2 MB of heap: a million keys, some 200,000 orders. */
  private static final long LEAST_CAPACITY = 1 << 20;

  /** Where a larger filter is filled from: a read of the file on one of the store's read connections. */
  private final Function<ReadWork, Future<Void>> reads;
  /** Keys of the writer's batch under way; its thread only. */
  private final List<String> batch = new ArrayList<>();
  /** The filter that answers; null until the first is filled. */
  private volatile Filter current;
  /** The filter being filled, told of new keys too, or null. */
  private volatile Filter next;
  private final Promise<Void> firstFilled = Promise.promise();
  /** After a fill that failed, how many keys until the next try. */
  private volatile long retryAt;

  interface ReadWork {
    void run(Connection connection) throws Exception;
  }

  private KeysInTheFile(Function<ReadWork, Future<Void>> reads) {
    this.reads = reads;
  }

  /**
   * Begins filling the filter from the file (sized on {@code connection}, the writer's, before its
   * writer starts), through {@code reads}.
   */
  static KeysInTheFile of(Connection connection, Function<ReadWork, Future<Void>> reads) throws SQLException {
    return of(connection, reads, LEAST_CAPACITY);
  }

  /** The same with a filter of {@code leastCapacity} keys at least, to test its growth. */
  static KeysInTheFile of(Connection connection, Function<ReadWork, Future<Void>> reads, long leastCapacity)
      throws SQLException {
    KeysInTheFile keys = new KeysInTheFile(reads);
    keys.fill(Math.max(2 * count(connection), leastCapacity));
    return keys;
  }

  /** Completes when the first filter has been filled from the file (or could not be). */
  Future<Void> firstFilled() {
    return firstFilled.future();
  }

  /** How many keys the filter answering now was made for, 0 while none answers. */
  long capacity() {
    Filter answering = current;
    return answering == null ? 0 : answering.capacity;
  }

  static String stream(String streamId) {
    return "s" + streamId;
  }

  static String document(DocumentKey key) {
    return "d" + key.collection() + '\u0000' + key.id();
  }

  /** False only if the file holds no such key. */
  boolean mayHold(String key) {
    Filter answering = current;
    return answering == null || answering.bloom.mightContain(key);
  }

  /** The writer began this stream or created this document in the write under way. */
  void added(String key) {
    batch.add(key);
  }

  @Override
  public void workReleased() {
  }

  @Override
  public void workRolledBack() {
    // what it added stays in the batch: a key told of that the file lacks only costs a read
  }

  @Override
  public void batchCommitted() {
    tellTheFilters();
  }

  @Override
  public void batchRolledBack() {
    // a failed COMMIT may have committed after all: held, the keys cost a read if it did not
    tellTheFilters();
  }

  private void tellTheFilters() {
    if (batch.isEmpty()) {
      return;
    }
    // in this order, against a fill that ends meanwhile and sets current, then next (see fill)
    Filter filling = next;
    Filter answering = current;
    for (String key : batch) {
      if (answering != null) {
        answering.bloom.put(key);
      }
      if (filling != null) {
        filling.bloom.put(key);
      }
    }
    batch.clear();
    if (answering != null && filling == null) {
      long count = answering.bloom.approximateElementCount();
      if (count > answering.capacity && count > retryAt) {
        fill(2 * count);
      }
    }
  }

  private void fill(long capacity) {
    Filter filling = new Filter(capacity);
    next = filling; // before the read of the file begins: what commits after it, the writer adds
    reads.apply(connection -> fill(connection, filling)).onComplete(filled -> {
      if (filled.succeeded()) {
        current = filling;
        LOG.debug("the embedded store's filter of keys holds {} at most", capacity);
      } else {
        retryAt = 2 * capacity; // the filter answering goes on (if any: else every key is read)
        LOG.warn("the embedded store could not read the keys of its file: {}", filled.cause().toString());
      }
      next = null;
      firstFilled.tryComplete();
    });
  }

  /** At least as many as the keys in the file: the log's last position counts every event, not only the first of each stream. */
  private static long count(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(
             "SELECT (SELECT coalesce(max(position), 0) FROM events) + (SELECT count(*) FROM documents)")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void fill(Connection connection, Filter filter) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet rows = statement.executeQuery("SELECT stream_id FROM events WHERE version = 1")) {
        while (rows.next()) {
          filter.bloom.put(stream(rows.getString(1)));
        }
      }
      try (ResultSet rows = statement.executeQuery("SELECT collection, id FROM documents")) {
        while (rows.next()) {
          filter.bloom.put(document(new DocumentKey(rows.getString(1), rows.getString(2))));
        }
      }
    }
  }

  private static final class Filter {
    final BloomFilter<CharSequence> bloom;
    final long capacity;

    Filter(long capacity) {
      this.bloom = BloomFilter.create(Funnels.stringFunnel(StandardCharsets.UTF_8), capacity, FALSE_POSITIVES);
      this.capacity = capacity;
    }
  }
}
