package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.RefusedByStore;
import dev.switchboard.runtime.store.StaleEvent;
import dev.switchboard.runtime.store.StatementsSent;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.append;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static dev.switchboard.runtime.testing.TestEvents.stockReserved;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer sends a batch's statements without waiting for answers, and the outcome is still the
 * one of running its writes one after the other: observed through the writer's counts of round trips
 * and transactions. Writes make one batch by queueing while the writer's previous transaction waits
 * for another node's append lock.
 */
class PostgresPipelineIT extends PostgresTestSupport {

  @Test
  void a_batch_of_writes_of_every_kind_takes_two_round_trips_and_each_write_sees_the_ones_before_it()
      throws Exception {
    PostgresEventStore store = open();
    StoredEvent cause = result(store.commit(startStream(orderPlaced(newOrderId())))).get(0);
    int generation = result(store.readModels().register("pipelined")).generation();
    String order = newOrderId();
    long roundTrips = store.statementsSent().writerRoundTrips();
    long transactions = store.committedTransactions();

    List<Future<?>> writes = inOneBatch(store, () -> List.of(
        store.commit(startStream(orderPlaced(order))),
        store.commit(UnitOfWork.of(append(1, orderConfirmed(order)))),       // after the one before
        store.commitConsumed("inventory", cause, startStream(stockReserved(order))
            .and(new DocumentWrite("stock", "sku-1", ExpectedVersion.NONE, new JsonObject().put("n", 1)))),
        store.commit(documentOnly(new DocumentWrite("stock", "sku-1", 1, new JsonObject().put("n", 2)))),
        store.saveCheckpoint("inventory", cause.position()),
        store.readModels().apply("pipelined", generation, 0, cause.position(), Map.of("row", new JsonObject())),
        store.deadLetter(letter("payments", cause))));

    writes.forEach(write -> result(write));
    assertThat(store.statementsSent().writerRoundTrips() - roundTrips)
        .as("BEGIN … COMMIT of the blocked write, then of the batch").isEqualTo(2 + 2);
    assertThat(store.committedTransactions() - transactions).isEqualTo(2);
    assertThat(result(store.readStream(Streams.of("orders", order)))).extracting(e -> e.envelope().sequence())
        .containsExactly(1L, 2L);
    List<StoredEvent> log = result(store.readAll(cause.position(), Set.of(), 100));
    assertThat(log).extracting(e -> e.envelope().type()).as("in the order the writes were queued")
        .endsWith("OrderPlaced", "OrderConfirmed", "StockReserved");
    assertThat(result(store.document("stock", "sku-1"))).map(Document::revision).contains(2L);
    assertThat(result(store.checkpoint("inventory"))).isEqualTo(cause.position());
    assertThat(result(store.readModels().row("pipelined", "row"))).contains(new JsonObject());
    assertThat(result(store.deadLetters(10))).hasSize(1);
  }

  @Test
  void a_write_that_fails_in_a_pipelined_batch_fails_with_its_own_failure_and_the_others_commit() throws Exception {
    PostgresEventStore store = open();
    String existing = newOrderId();
    List<StoredEvent> stream = result(store.commit(startStream(orderPlaced(existing), orderConfirmed(existing))));
    // as a broker delivers them: the inbox tells one handled before, the stream's sequence one too late
    List<StoredEvent> delivered = stream.stream().map(event -> new StoredEvent(0, event.envelope())).toList();
    result(store.commitConsumed("inventory", delivered.get(1), UnitOfWork.NOTHING));
    String first = newOrderId();
    String last = newOrderId();
    long transactions = store.committedTransactions();

    List<Future<?>> writes = inOneBatch(store, () -> List.of(
        store.commit(startStream(orderPlaced(first))),
        store.commit(UnitOfWork.of(append(1, orderCancelled(existing, "late")))),           // the stream is at 2
        store.commit(UnitOfWork.of(new StreamAppend(Streams.of("orders", newOrderId()), ExpectedVersion.NONE,
            List.of(stream.get(0).envelope())))),                                          // its id is taken
        store.commit(documentOnly(new DocumentWrite("stock", "key-\u0000", ExpectedVersion.ANY, new JsonObject()))),
        store.commitConsumed("inventory", delivered.get(1), startStream(stockReserved(existing))), // handled before
        store.commitConsumed("inventory", delivered.get(0), startStream(stockReserved(existing))), // older than it
        store.commit(startStream(orderPlaced(last)))));

    assertThat(result(writes.get(0))).isNotNull();
    assertThat(failure(writes.get(1))).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("is at version 2");
    assertThat(failure(writes.get(2))).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("event id repeats");
    assertThat(failure(writes.get(3))).isInstanceOf(RefusedByStore.class).hasMessageContaining("22021");
    assertThat(result(writes.get(4))).isEqualTo(ConsumeOutcome.DUPLICATE);
    assertThat(failure(writes.get(5))).isInstanceOf(StaleEvent.class);
    assertThat(result(writes.get(6))).isNotNull();
    assertThat(store.committedTransactions() - transactions).as("the blocked write, then the batch once").isEqualTo(2);
    assertThat(result(store.readAll(stream.get(1).position(), Set.of(), 100))).extracting(e -> e.envelope().subject())
        .as("the blocked write's, then the two that succeeded").hasSize(3).endsWith(first, last);
    assertThat(result(store.readStream(Streams.of("inventory", existing)))).isEmpty();
    assertThat(result(store.isHandled("inventory", delivered.get(0)))).isFalse();
  }

  @Test
  void the_store_tells_what_it_sent_the_writers_statements_and_round_trips_and_each_read() {
    PostgresEventStore store = open();
    StatementsSent before = store.statementsSent();
    result(store.commit(startStream(orderPlaced(newOrderId()))));
    result(store.checkpoint("nobody"));
    StatementsSent after = store.statementsSent();

    long statements = after.writerStatements() - before.writerStatements();
    long roundTrips = after.writerRoundTrips() - before.writerRoundTrips();
    assertThat(statements).as("BEGIN, the insert, COMMIT at least").isGreaterThanOrEqualTo(3);
    assertThat(roundTrips).isPositive().isLessThan(statements);
    assertThat(after.reads() - before.reads()).as("the checkpoint read").isEqualTo(1);
  }

  @Test
  void the_events_of_every_write_of_a_batch_go_in_one_statement() throws Exception {
    PostgresEventStore store = open();
    String order = newOrderId();
    long statements = store.statementsSent().writerStatements();

    List<Future<List<StoredEvent>>> writes = inOneBatch(store, () -> {
      List<Future<List<StoredEvent>>> queued = new ArrayList<>();
      queued.add(store.commit(startStream(orderPlaced(order))));
      queued.add(store.commit(UnitOfWork.of(append(1, orderConfirmed(order), orderCancelled(order, "then")))));
      for (int i = 0; i < 20; i++) {
        queued.add(store.commit(startStream(orderPlaced(newOrderId()))));
      }
      return queued;
    });

    assertThat(writes.stream().flatMap(write -> result(write).stream()).map(StoredEvent::position)).hasSize(23)
        .isSorted().doesNotHaveDuplicates();
    assertThat(store.statementsSent().writerStatements() - statements)
        .as("BEGIN, the append lock, the events, the notification, COMMIT; for the blocked write, then the batch")
        .isEqualTo(5 + 5);
    assertThat(result(store.readStream(Streams.of("orders", order)))).extracting(e -> e.envelope().sequence())
        .containsExactly(1L, 2L, 3L);
    assertThat(result(store.readAll(0, Set.of(), 100))).hasSize(1 + 23);
  }

  @Test
  void a_batch_asks_for_the_append_lock_only_after_its_statements_that_append_nothing_ran() throws Exception {
    PostgresEventStore store = open();
    String order = newOrderId();

    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      Future<List<StoredEvent>> waiting = store.commit(startStream(orderPlaced(order))
          .and(new DocumentWrite("orders", order, ExpectedVersion.NONE, new JsonObject())));
      awaitAppendLockWaiters(1);

      assertThat(TestPostgres.queryLong(database, """
          SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
          WHERE l.granted AND c.relname = 'documents' AND l.mode = 'RowExclusiveLock'
            AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND l.pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted)"""))
          .as("the transaction waiting for the append lock has written its document").isEqualTo(1);
      otherNode.release();
      assertThat(result(waiting)).hasSize(1);
    }
  }

  @Test
  void when_the_append_lock_is_not_granted_in_time_only_the_writes_that_append_fail_and_as_unavailable()
      throws Exception {
    PostgresStoreSettings impatient = new PostgresStoreSettings(TestPostgres.uri(database), 2, 5_000, 500, 256, 100, 10, "", "", 8_192);
    PostgresEventStore store = open(impatient);
    List<Future<?>> writes;

    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      Future<List<StoredEvent>> blocked = store.commit(startStream(orderPlaced(newOrderId())));
      awaitAppendLockWaiters(1);
      writes = List.of(
          store.commit(documentOnly(new DocumentWrite("notes", "before", ExpectedVersion.NONE, new JsonObject()))),
          store.commit(startStream(orderPlaced(newOrderId()))),
          store.commit(startStream(orderPlaced(newOrderId()))),
          store.commit(documentOnly(new DocumentWrite("notes", "after", ExpectedVersion.NONE, new JsonObject()))));

      assertThat(failure(blocked)).isInstanceOf(StoreUnavailable.class).hasMessageContaining("statement timeout");
      assertThat(failure(writes.get(1))).isInstanceOf(StoreUnavailable.class).hasMessageContaining("statement timeout");
      assertThat(failure(writes.get(2))).isInstanceOf(StoreUnavailable.class).hasMessageContaining("statement timeout");
      result(writes.get(0));
      result(writes.get(3));
      otherNode.release();
    }
    assertThat(result(store.readAll(0, Set.of(), 10))).isEmpty();
    assertThat(result(store.document("notes", "before"))).isPresent();
    assertThat(result(store.document("notes", "after"))).isPresent();
  }

  @Test
  void an_append_after_whatever_its_stream_holds_is_waited_for_and_keeps_its_place_in_the_batch() throws Exception {
    PostgresEventStore store = open();
    String order = newOrderId();
    String other = newOrderId();

    List<Future<List<StoredEvent>>> writes = inOneBatch(store, () -> List.of(
        store.commit(startStream(orderPlaced(order))),
        store.commit(appendAny(orderConfirmed(order))),
        store.commit(UnitOfWork.of(append(2, orderCancelled(order, "after the any")))),
        store.commit(startStream(orderPlaced(other)))));

    assertThat(writes.stream().map(write -> result(write).get(0).envelope().sequence()))
        .containsExactly(1L, 2L, 3L, 1L);
    assertThat(writes.stream().map(write -> result(write).get(0).position())).isSorted();
  }

  @Test
  void writes_to_one_stream_and_one_document_in_a_batch_conflict_exactly_as_one_after_the_other() throws Exception {
    PostgresEventStore store = open();
    String order = newOrderId();

    List<Future<List<StoredEvent>>> writes = inOneBatch(store, () -> List.of(
        store.commit(startStream(orderPlaced(order))
            .and(new DocumentWrite("orders", order, ExpectedVersion.NONE, new JsonObject().put("v", 1)))),
        store.commit(UnitOfWork.of(append(1, orderConfirmed(order)))
            .and(new DocumentWrite("orders", order, 1, new JsonObject().put("v", 2)))),
        store.commit(UnitOfWork.of(append(1, orderCancelled(order, "too late")))),
        store.commit(documentOnly(new DocumentWrite("orders", order, 1, new JsonObject().put("v", 3)))),
        store.commit(UnitOfWork.of(append(2, orderCancelled(order, "in time")))
            .and(new DocumentWrite("orders", order, 2, new JsonObject().put("v", 4))))));

    assertThat(result(writes.get(0))).hasSize(1);
    assertThat(result(writes.get(1))).hasSize(1);
    assertThat(failure(writes.get(2))).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("is at version 2");
    assertThat(failure(writes.get(3))).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("at revision 2");
    assertThat(result(writes.get(4))).extracting(e -> e.envelope().sequence()).containsExactly(3L);
    assertThat(result(store.document("orders", order))).map(Document::body).contains(new JsonObject().put("v", 4));
  }

  @Test
  void a_write_not_marked_pipelined_is_waited_for_and_may_send_statements_after_answers() throws Exception {
    PostgresEventStore store = open();
    long transactions = store.committedTransactions();

    List<Future<?>> writes = inOneBatch(store, () -> List.of(
        store.commit(startStream(orderPlaced(newOrderId()))),
        store.write(tx -> tx.execute("SELECT 1", Tuple.tuple())
            .compose(answered -> tx.execute(PostgresSql.UPSERT_DOCUMENT, Tuple.of("notes", "a", "{}", null)))),
        store.write(tx -> tx.connection().query("SELECT 1").execute()
            .compose(answered -> tx.connection().preparedQuery(PostgresSql.UPSERT_DOCUMENT)
                .execute(Tuple.of("notes", "b", "{}", null)))),
        store.commit(startStream(orderPlaced(newOrderId())))));

    writes.forEach(write -> result(write));
    assertThat(store.committedTransactions() - transactions).as("no write ran twice").isEqualTo(2);
    assertThat(result(store.document("notes", "a"))).map(Document::revision).contains(1L);
    assertThat(result(store.document("notes", "b"))).map(Document::revision).contains(1L);
  }

  @Test
  void a_pipelined_write_that_sends_a_statement_after_the_next_write_began_commits_once_all_the_same()
      throws Exception {
    PostgresEventStore store = open();
    long transactions = store.committedTransactions();
    long roundTrips = store.statementsSent().writerRoundTrips();

    List<Future<?>> writes = inOneBatch(store, () -> List.of(
        store.write(PostgresWriter.pipelined(tx -> tx.execute("SELECT 1", Tuple.tuple())
            .compose(answered -> tx.execute(PostgresSql.UPSERT_DOCUMENT, Tuple.of("notes", "late", "{}", null))))),
        store.commit(startStream(orderPlaced(newOrderId())))));

    writes.forEach(write -> result(write));
    assertThat(store.statementsSent().writerRoundTrips() - roundTrips).as("the batch ran again, one write at a time")
        .isGreaterThan(2 + 2);
    assertThat(store.committedTransactions() - transactions).isEqualTo(2);
    assertThat(result(store.document("notes", "late"))).map(Document::revision).contains(1L);
  }

  /**
   * PostgreSQL answers COMMIT in a transaction that a failed statement aborted by rolling it back,
   * without an error: a write must not succeed while a statement it sent failed.
   */
  @Test
  void a_write_that_answers_without_a_statement_that_failed_fails_and_the_others_still_commit() throws Exception {
    PostgresEventStore store = open();
    String order = newOrderId();

    List<Future<?>> writes = inOneBatch(store, () -> List.<Future<?>>of(
        store.write(PostgresWriter.pipelined(tx -> {
          tx.execute(PostgresSql.UPSERT_DOCUMENT, Tuple.of("notes", "ignored", "{}", null));
          tx.execute("SELECT 1 / 0", Tuple.tuple());
          return Future.succeededFuture("answered too soon");
        })),
        store.write(PostgresWriter.pipelined(tx -> {
          tx.execute("SELECT 1 / 0", Tuple.tuple());
          return tx.execute(PostgresSql.UPSERT_DOCUMENT, Tuple.of("notes", "aborted", "{}", null));
        })),
        store.commit(startStream(orderPlaced(order)))));

    assertThat(failure(writes.get(0))).isInstanceOf(RefusedByStore.class).hasMessageContaining("22012");
    assertThat(failure(writes.get(1))).as("the statement that failed, not the one refused after it")
        .isInstanceOf(RefusedByStore.class).hasMessageContaining("22012");
    result(writes.get(2));
    assertThat(result(store.readStream(Streams.of("orders", order)))).hasSize(1);
    assertThat(result(store.document("notes", "ignored"))).isEmpty();
    assertThat(result(store.document("notes", "aborted"))).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Queues the writes while the writer's transaction before them waits for another node's append
   * lock, so that they make one batch when it is released.
   */
  private <T> T inOneBatch(PostgresEventStore store, Supplier<T> writes) throws SQLException {
    try (OtherNodeAppending otherNode = new OtherNodeAppending()) {
      Future<List<StoredEvent>> blocked = store.commit(startStream(orderPlaced(newOrderId())));
      awaitAppendLockWaiters(1);
      T queued = writes.get();
      otherNode.release();
      result(blocked);
      return queued;
    }
  }

  private static UnitOfWork documentOnly(DocumentWrite write) {
    return UnitOfWork.NOTHING.and(write);
  }

  private static DeadLetter letter(String consumer, StoredEvent event) {
    return new DeadLetter("letter-" + newOrderId(), consumer, event.id(), event.position(), "it failed", 3,
        event.envelope().toJson(), "2026-01-01T00:00:00Z");
  }
}
