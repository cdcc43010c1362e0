package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database goes away mid-run (every connection ended with {@code pg_terminate_backend}): no
 * committed event is lost, no failed write is reported as committed, and the store recovers.
 */
class PostgresConnectionLossIT extends PostgresTestSupport {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void connections_killed_mid_run_lose_no_committed_event_and_the_store_keeps_working() throws Exception {
    PostgresEventStore store = open();
    int writers = 8;
    AtomicInteger kills = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<String> committed = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    // the events of writes that failed saying they wrote nothing
    ConcurrentLinkedQueue<String> certainlyNotWritten = new ConcurrentLinkedQueue<>();
    List<AtomicInteger> committedAfterKill = List.of(new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        running.add(threads.submit(() -> {
          while (!stop.get()) {
            EventEnvelope event = orderPlaced(newOrderId());
            int killsBefore = kills.get();
            try {
              List<StoredEvent> stored = store.commit(startStream(event)).toCompletionStage().toCompletableFuture()
                  .get(30, TimeUnit.SECONDS);
              committed.add(stored.get(0).id());
              committedAfterKill.get(killsBefore).incrementAndGet();
            } catch (ExecutionException e) {
              failures.add(e.getCause());
              if (e.getCause() instanceof StoreUnavailable unavailable && !unavailable.mayHaveCommitted()) {
                certainlyNotWritten.add(event.id());
              }
            }
          }
          return null;
        }));
      }
      for (int kill = 1; kill <= 2; kill++) {
        int epoch = kill - 1;
        Await.until("commits go through before kill " + kill, () -> committedAfterKill.get(epoch).get() >= 200);
        long ended = TestPostgres.terminateConnections(database);
        assertThat(ended).as("connections ended").isPositive();
        kills.incrementAndGet();
      }
      Await.until("commits go through again after the kills", () -> committedAfterKill.get(2).get() >= 200);
    } finally {
      stop.set(true);
      for (java.util.concurrent.Future<?> writer : running) {
        writer.get(60, TimeUnit.SECONDS);
      }
      threads.shutdownNow();
    }

    // a write may fail while the connections die, only ever as StoreUnavailable
    assertThat(failures).allSatisfy(failure -> assertThat(failure).isInstanceOf(StoreUnavailable.class));
    // every write reported committed is in the log
    List<StoredEvent> log = result(store.readAll(0, Set.of(), 100_000));
    assertThat(log).extracting(StoredEvent::id).containsAll(committed);
    // a failed write may or may not have committed (its answer was lost), never anything else
    assertThat(log.size()).isBetween(committed.size(), committed.size() + failures.size());
    // and one that said it wrote nothing did not: only a commit whose answer was lost may have
    Set<String> logged = log.stream().map(StoredEvent::id).collect(java.util.stream.Collectors.toSet());
    assertThat(certainlyNotWritten).as("writes that failed saying they wrote nothing").noneMatch(logged::contains);
    System.out.printf("[PostgresConnectionLossIT] %d committed, %d failed (%d of them certainly not written)%n",
        committed.size(), failures.size(), certainlyNotWritten.size());
  }

  @Test
  void right_after_the_connections_are_ended_the_next_write_and_read_succeed_on_fresh_connections() {
    PostgresEventStore store = open();
    result(store.commit(startStream(orderPlaced(newOrderId()))));
    result(store.readAll(0, Set.of(), 10));

    for (int round = 0; round < 3; round++) {
      assertThat(TestPostgres.terminateConnections(database)).isPositive();

      StoredEvent stored = result(store.commit(startStream(orderPlaced(newOrderId())))).get(0);
      assertThat(result(store.readAll(0, Set.of(), 10))).contains(stored);
      result(store.ping());
    }
  }

  @Test
  void the_listener_of_another_node_hears_of_appends_again_after_its_connection_was_ended() {
    PostgresEventStore writer = open();
    PostgresEventStore otherNode = open();
    AtomicInteger wakes = new AtomicInteger();
    Context context = vertx.getOrCreateContext();
    Await.onContext(context, () -> {
      otherNode.onAppended(wakes::incrementAndGet);
      return Future.succeededFuture();
    });
    result(writer.commit(startStream(orderPlaced(newOrderId()))));
    Await.until("the other node heard of the append", () -> wakes.get() == 1);
    assertThat(otherNode.relistened()).as("opening is no reconnection").isZero();

    assertThat(TestPostgres.terminateConnections(database)).isPositive();
    // it listens again and wakes its consumers once for whatever it missed meanwhile
    Await.until("the other node listens again", () -> wakes.get() == 2);
    assertThat(otherNode.relistened()).isEqualTo(1);
    result(writer.commit(startStream(orderPlaced(newOrderId()))));

    Await.until("the other node heard of the append after the reconnect", () -> wakes.get() == 3);
  }

  @Test
  void a_commit_whose_connection_is_ended_mid_transaction_fails_with_store_unavailable_and_writes_nothing()
      throws Exception {
    PostgresEventStore store = open();
    Future<List<StoredEvent>> commit;
    EventEnvelope event = orderPlaced(newOrderId());
    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      commit = store.commit(startStream(event));
      awaitAppendLockWaiters(1); // the store's transaction has begun and waits for the lock
      TestPostgres.execute(database, """
          SELECT pg_terminate_backend(pid) FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""");

      Throwable failure = Await.failure(commit);

      assertThat(failure).isInstanceOf(StoreUnavailable.class);
      otherNode.release();
    }
    assertThat(result(store.readAll(0, Set.of(), 10))).isEmpty();
    assertThat(result(store.commit(startStream(event)))).hasSize(1);
    assertThat(Collections.frequency(result(store.readAll(0, Set.of(), 10)).stream().map(StoredEvent::id).toList(),
        event.id())).isEqualTo(1);
  }
}
