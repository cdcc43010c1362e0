package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Positions become visible in commit order: a reader that follows the log ("every event after the
 * last position I saw") never skips an event that commits late, with many writers on many
 * connections (the bug class of Axon #2747 and Marten #3321).
 */
class PostgresGapFreeOrderIT extends PostgresTestSupport {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_reader_following_the_log_sees_every_event_of_16_concurrent_writers_and_never_a_smaller_position_later()
      throws Exception {
    List<PostgresEventStore> nodes = nodes(16);
    followTheLog(nodes, open(), 125, false); // 2,000 events, and 2,000 transactions contending for the append lock
  }

  /**
   * A node reads its own commits from its feed of committed events ({@link dev.switchboard.runtime.store.RecentEvents}),
   * without a query: never past the commits of the other nodes between them.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void a_node_following_the_log_through_its_feed_of_its_own_commits_sees_every_event_of_the_other_nodes_too()
      throws Exception {
    List<PostgresEventStore> nodes = nodes(3);
    PostgresEventStore reader = nodes.get(0);
    long servedBefore = reader.recentEvents().servedReads();
    followTheLog(nodes, reader, 300, true);
    assertThat(reader.recentEvents().servedReads() - servedBefore)
        .as("reads that the feed answered (the rest read the database)").isPositive();
  }

  /** One store per writer: its own writer connection, as that many nodes would have. */
  private List<PostgresEventStore> nodes(int writers) {
    PostgresStoreSettings oneConnection = new PostgresStoreSettings(TestPostgres.uri(database), 1, 5_000, 30_000, 256,
        10_000, 100, "", "", 8_192);
    List<PostgresEventStore> nodes = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      nodes.add(open(oneConnection));
    }
    return nodes;
  }

  /**
   * Has each node commit {@code commitsEach} times (one event, or two if {@code twoEach}), one commit at a time, while {@code reader} follows the
   * log (every event after the last it saw, a page at a time), and checks that it saw the whole log
   * in order: nothing skipped, nothing seen twice.
   */
  private void followTheLog(List<PostgresEventStore> nodes, PostgresEventStore reader, int commitsEach,
                            boolean twoEach) throws Exception {
    int eventsEach = twoEach ? 2 : 1;
    int writers = nodes.size();
    List<String> committed = Collections.synchronizedList(new ArrayList<>());
    List<StoredEvent> seen = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    try {
      for (PostgresEventStore node : nodes) {
        running.add(threads.submit(() -> {
          go.await();
          for (int i = 0; i < commitsEach; i++) {
            // each writer waits for its commit: 16 transactions in flight at any time
            String orderId = newOrderId();
            List<StoredEvent> stored = result(node.commit(twoEach
                ? startStream(orderPlaced(orderId), orderConfirmed(orderId)) : startStream(orderPlaced(orderId))));
            stored.forEach(event -> committed.add(event.id()));
          }
          return null;
        }));
      }
      go.countDown();
      long after = 0;
      int reads = 0;
      while (writing.get() || seen.size() < writers * commitsEach * eventsEach) {
        // known before the read: a page read while the last commits were still under way may be
        // empty, and must not end the reading
        boolean everyCommitDone = !writing.get();
        List<StoredEvent> page = result(reader.readAll(after, Set.of(), 100));
        reads++;
        for (StoredEvent event : page) {
          if (event.position() <= after) {
            violations.add("position " + event.position() + " after " + after);
          }
          after = event.position();
          seen.add(event);
        }
        if (writing.get() && running.stream().allMatch(java.util.concurrent.Future::isDone)) {
          writing.set(false);
        }
        if (everyCommitDone && page.isEmpty()) {
          break;
        }
      }
      for (java.util.concurrent.Future<?> writer : running) {
        writer.get(60, TimeUnit.SECONDS);
      }
      assertThat(reads).as("the reader read while the writers wrote").isGreaterThan(10);
    } finally {
      threads.shutdownNow();
    }

    List<StoredEvent> log = result(reader.readAll(0, Set.of(), 10_000));
    assertThat(log).hasSize(writers * commitsEach * eventsEach);
    assertThat(log).extracting(StoredEvent::id).containsExactlyInAnyOrderElementsOf(committed);
    assertThat(violations).isEmpty();
    // what the reader saw, page by page while the writers wrote, is the whole log in order: nothing skipped
    assertThat(seen).containsExactlyElementsOf(log);
  }

  @Test
  void an_append_waits_for_the_append_of_another_node_that_began_first_so_its_position_shows_after_it()
      throws Exception {
    PostgresEventStore store = open();
    EventEnvelope early = orderPlaced(newOrderId()).withSequence(1);
    EventEnvelope late = orderPlaced(newOrderId());
    long earlyPosition;
    Future<List<StoredEvent>> lateCommit;

    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      earlyPosition = insertEvent(otherNode.connection(), early);
      lateCommit = store.commit(startStream(late));
      awaitAppendLockWaiters(1);

      assertThat(lateCommit.isComplete()).as("the later append waits for the lock").isFalse();
      assertThat(result(store.readAll(0, Set.of(), 10))).as("nothing is visible yet").isEmpty();
      otherNode.release();
    }

    StoredEvent stored = result(lateCommit).get(0);
    assertThat(stored.position()).isGreaterThan(earlyPosition);
    assertThat(result(store.readAll(0, Set.of(), 10))).extracting(StoredEvent::id).containsExactly(early.id(), late.id());
  }

  /**
   * The bug class itself, shown on the same table without the lock: B takes a later position than
   * A but commits first, a reader moves past B, and A, committed afterwards, is never read.
   */
  @Test
  void without_the_append_lock_a_late_commit_would_be_skipped_by_a_reader() throws Exception {
    PostgresEventStore store = open(); // the schema
    EventEnvelope a = orderPlaced(newOrderId()).withSequence(1);
    EventEnvelope b = orderConfirmed(newOrderId()).withSequence(1);

    try (Connection first = TestPostgres.connect(database); Connection second = TestPostgres.connect(database)) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      long positionA = insertEvent(first, a);
      long positionB = insertEvent(second, b);
      second.commit();
      List<StoredEvent> read = result(store.readAll(0, Set.of(), 10));
      long lastSeen = read.get(read.size() - 1).position();
      first.commit();

      assertThat(positionA).isLessThan(positionB);
      assertThat(read).extracting(StoredEvent::id).containsExactly(b.id());
      assertThat(result(store.readAll(lastSeen, Set.of(), 10))).as("a is never seen").isEmpty();
      assertThat(result(store.readAll(0, Set.of(), 10))).extracting(StoredEvent::id).containsExactly(a.id(), b.id());
    }
  }
}
