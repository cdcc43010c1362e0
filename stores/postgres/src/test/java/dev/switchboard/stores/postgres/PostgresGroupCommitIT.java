package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit, observed through the writer's count of committed transactions, without timing:
 * another node holding the append lock keeps the writer's first transaction waiting while more
 * writes queue up behind it.
 */
class PostgresGroupCommitIT extends PostgresTestSupport {

  @Test
  void writes_queued_while_a_transaction_runs_commit_together_in_batches_of_at_most_max_batch() throws Exception {
    PostgresEventStore store = open(PostgresStoreSettings.from(TestPostgres.settings(database)).withMaxBatch(100));
    List<Future<List<StoredEvent>>> commits = new ArrayList<>();

    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      commits.add(store.commit(startStream(orderPlaced(newOrderId()))));
      awaitAppendLockWaiters(1); // the writer's first transaction waits for the other node
      for (int i = 0; i < 250; i++) {
        commits.add(store.commit(startStream(orderPlaced(newOrderId()))));
      }
      assertThat(commits).noneMatch(Future::isComplete);
      otherNode.release();
      commits.forEach(commit -> assertThat(result(commit)).hasSize(1));
    }

    // the first write alone, then the 250 queued meanwhile in ceil(250 / 100) transactions
    assertThat(store.committedTransactions()).isEqualTo(1 + 3);
    assertThat(store.committedWrites()).isEqualTo(251);
    List<StoredEvent> log = result(store.readAll(0, Set.of(), 1_000));
    assertThat(log).hasSize(251);
    assertThat(log).extracting(e -> e.id())
        .containsExactlyElementsOf(commits.stream().map(commit -> commit.result().get(0).id()).toList());
  }

  @Test
  void at_low_load_each_write_commits_in_a_transaction_of_its_own() {
    PostgresEventStore store = open();

    for (int i = 0; i < 20; i++) {
      result(store.commit(startStream(orderPlaced(newOrderId()))));
    }

    assertThat(store.committedTransactions()).isEqualTo(20);
  }

  @Test
  void a_write_that_fails_in_a_batch_is_rolled_back_alone_and_the_others_commit() throws Exception {
    PostgresEventStore store = open();
    String existing = newOrderId();
    result(store.commit(startStream(orderPlaced(existing))
        .and(new DocumentWrite("orders", existing, ExpectedVersion.NONE, new JsonObject().put("n", 1)))));
    long before = store.committedTransactions();
    String first = newOrderId();
    String second = newOrderId();
    Future<List<StoredEvent>> blocked;
    Future<List<StoredEvent>> ok1;
    Future<List<StoredEvent>> streamConflict;
    Future<List<StoredEvent>> documentConflict;
    Future<List<StoredEvent>> ok2;

    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      blocked = store.commit(startStream(orderPlaced(newOrderId())));
      awaitAppendLockWaiters(1);
      // first in the batch: takes the append lock inside its savepoint, then fails (the stream exists);
      // rolling back to the savepoint releases the lock, so the next append must take it again
      streamConflict = store.commit(startStream(orderPlaced(existing)));
      ok1 = store.commit(startStream(orderPlaced(first)));
      documentConflict = store.commit(startStream(orderPlaced(newOrderId()))             // events, then
          .and(new DocumentWrite("orders", existing, ExpectedVersion.NONE, new JsonObject()))); // a conflict
      ok2 = store.commit(startStream(orderPlaced(second))
          .and(new DocumentWrite("orders", second, ExpectedVersion.NONE, new JsonObject().put("n", 2))));
      otherNode.release();
      result(blocked);
    }

    StoredEvent firstStored = result(ok1).get(0);
    StoredEvent secondStored = result(ok2).get(0);
    assertThat(failure(streamConflict)).isInstanceOf(ConcurrencyConflict.class);
    assertThat(failure(documentConflict)).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("orders/" + existing);
    // the blocked one alone, then the other four together
    assertThat(store.committedTransactions() - before).isEqualTo(2);
    assertThat(result(store.readAll(0, Set.of(), 100))).hasSize(1 + 1 + 2)
        .contains(firstStored, secondStored);
    assertThat(result(store.document("orders", second)).orElseThrow().body()).isEqualTo(new JsonObject().put("n", 2));
    assertThat(result(store.document("orders", existing)).orElseThrow().body()).isEqualTo(new JsonObject().put("n", 1));
  }

  @Test
  void an_append_kept_waiting_for_the_lock_longer_than_the_statement_timeout_fails_as_unavailable_and_nothing_else()
      throws Exception {
    PostgresStoreSettings impatient = new PostgresStoreSettings(TestPostgres.uri(database), 2, 5_000, 500, 256, 100, 10, "", "", 8_192);
    PostgresEventStore store = open(impatient);
    String order = newOrderId();
    Future<List<StoredEvent>> waiting;

    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      waiting = store.commit(startStream(orderPlaced(order)));

      assertThat(failure(waiting)).isInstanceOf(StoreUnavailable.class).hasMessageContaining("statement timeout");
      // documents need no lock: they go on while another node appends
      result(store.commit(UnitOfWork.NOTHING.and(new DocumentWrite("orders", order, ExpectedVersion.NONE,
          new JsonObject()))));
      otherNode.release();
    }
    assertThat(result(store.commit(startStream(orderPlaced(order))))).hasSize(1);
  }

  @Test
  void a_full_write_queue_refuses_new_writes_at_once() throws Exception {
    PostgresStoreSettings small = new PostgresStoreSettings(TestPostgres.uri(database), 2, 5_000, 10_000, 256, 5, 10, "", "", 8_192);
    PostgresEventStore store = open(small);
    List<Future<List<StoredEvent>>> accepted = new ArrayList<>();

    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      accepted.add(store.commit(startStream(orderPlaced(newOrderId()))));
      awaitAppendLockWaiters(1);
      for (int i = 0; i < 5; i++) {
        accepted.add(store.commit(startStream(orderPlaced(newOrderId()))));
      }
      Future<List<StoredEvent>> refused = store.commit(startStream(orderPlaced(newOrderId())));

      assertThat(refused.failed()).as("refused at once, not after waiting").isTrue();
      assertThat(refused.cause()).isInstanceOf(StoreUnavailable.class).hasMessageContaining("queue is full");
      otherNode.release();
    }
    accepted.forEach(commit -> assertThat(result(commit)).hasSize(1));
    assertThat(result(store.commit(startStream(orderPlaced(newOrderId()))))).as("and takes writes again").hasSize(1);
  }
}
