package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.InvalidEventData;
import dev.switchboard.runtime.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.append;
import static dev.switchboard.runtime.testing.TestEvents.appendAny;
import static dev.switchboard.runtime.testing.TestEvents.invalidOrderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.newStream;
import static dev.switchboard.runtime.testing.TestEvents.orderCancelled;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.paymentAuthorized;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static dev.switchboard.runtime.testing.TestEvents.stockReserved;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link EventStore} promises, whatever it stores into. An implementation runs these
 * tests by subclassing and saying how to open it ({@link #openStore(Vertx)}).
 *
 * <p>Each test starts from empty storage: a subclass gives every test fresh storage (a new file, a
 * new database or schema).
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class EventStoreContractTest {

  protected Vertx vertx;
  protected EventStore store;

  /**
   * Opens the store under test. The first call of a test opens empty storage; a later call in the
   * same test (after the store was closed) opens the same storage again, to show what survives.
   */
  protected abstract Future<EventStore> openStore(Vertx vertx);

  /** How many rows the store's inboxes hold, every consumer's together (read as an operator would). */
  protected abstract long inboxRows() throws Exception;

  /** Puts an event id in a consumer's inbox as builds before this one did for every event handled. */
  protected abstract void putInInboxAsAnEarlierBuild(String consumer, String eventId) throws Exception;

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    this.store = result(openStore(vertx));
  }

  @AfterEach
  void closeTheStore() {
    if (store != null) {
      result(store.close());
    }
  }

  // ------------------------------------------------------------------ appending and streams

  @Test
  void appending_to_a_new_stream_with_expected_version_none_numbers_the_events_from_one_in_increasing_positions() {
    String order = newOrderId();
    EventEnvelope placed = orderPlaced(order);
    EventEnvelope confirmed = orderConfirmed(order);
    EventEnvelope cancelled = orderCancelled(order, "changed my mind");

    List<StoredEvent> stored = result(store.commit(startStream(placed, confirmed, cancelled)));

    assertThat(stored).extracting(StoredEvent::id).containsExactly(placed.id(), confirmed.id(), cancelled.id());
    assertThat(stored).extracting(e -> e.envelope().sequence()).containsExactly(1L, 2L, 3L);
    assertThat(stored.get(0).position()).isPositive();
    assertStrictlyIncreasing(positions(stored));
    assertThat(stored).allSatisfy(e -> assertThat(e.streamId()).isEqualTo(Streams.of("orders", order)));
    // the envelope is stored as given, with its sequence assigned
    assertThat(stored.get(0).envelope()).isEqualTo(placed.withSequence(1));
    assertThat(result(store.readStream(Streams.of("orders", order)))).containsExactlyElementsOf(stored);
  }

  @Test
  void appending_at_the_current_version_continues_the_numbering() {
    String order = newOrderId();
    List<StoredEvent> first = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))));

    List<StoredEvent> second = result(store.commit(UnitOfWork.of(append(2, orderCancelled(order, "late")))));

    assertThat(second).extracting(e -> e.envelope().sequence()).containsExactly(3L);
    assertThat(second.get(0).position()).isGreaterThan(first.get(1).position());
    assertThat(result(store.readStream(Streams.of("orders", order))))
        .extracting(e -> e.envelope().sequence()).containsExactly(1L, 2L, 3L);
  }

  @Test
  void appending_at_a_wrong_expected_version_fails_with_a_concurrency_conflict_and_writes_nothing_of_the_unit() {
    String order = newOrderId();
    List<StoredEvent> before = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))));
    String otherOrder = newOrderId();
    UnitOfWork work = UnitOfWork.of(newStream(orderPlaced(otherOrder)))          // fine on its own
        .and(new DocumentWrite("orders", otherOrder, ExpectedVersion.NONE, new JsonObject().put("status", "PENDING")))
        .and(append(1, orderCancelled(order, "too late")));                      // the stream is at 2

    Throwable failure = failure(store.commit(work));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining(Streams.of("orders", order));
    assertThat(result(store.readStream(Streams.of("orders", order)))).containsExactlyElementsOf(before);
    assertThat(result(store.readStream(Streams.of("orders", otherOrder)))).isEmpty();
    assertThat(allEvents()).containsExactlyElementsOf(before);
    assertThat(result(store.document("orders", otherOrder))).isEmpty();
  }

  @Test
  void appending_after_a_version_the_stream_has_not_reached_is_a_concurrency_conflict_naming_its_version() {
    String order = newOrderId();
    List<StoredEvent> before = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))));

    Throwable failure = failure(store.commit(UnitOfWork.of(append(5, orderCancelled(order, "a"), orderCancelled(order, "b")))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("is at version 2, expected 5");
    assertThat(allEvents()).containsExactlyElementsOf(before);
  }

  @Test
  void starting_a_stream_that_exists_already_is_a_concurrency_conflict() {
    String order = newOrderId();
    List<StoredEvent> before = result(store.commit(startStream(orderPlaced(order))));

    Throwable failure = failure(store.commit(startStream(orderPlaced(order))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("is at version 1, expected 0");
    assertThat(allEvents()).containsExactlyElementsOf(before);
  }

  @Test
  void starting_a_stream_written_before_the_store_was_opened_is_a_concurrency_conflict_naming_its_version() {
    String order = newOrderId();
    List<StoredEvent> before = result(store.commit(startStream(orderPlaced(order))));
    result(store.close());
    store = result(openStore(vertx)); // a store that knows nothing of the stream yet

    Throwable failure = failure(store.commit(startStream(orderPlaced(order))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("is at version 1, expected 0");
    assertThat(allEvents()).containsExactlyElementsOf(before);
  }

  @Test
  void expected_version_any_appends_after_the_end_of_the_stream_or_starts_it() {
    String order = newOrderId();
    List<StoredEvent> started = result(store.commit(appendAny(orderPlaced(order))));
    result(store.commit(appendAny(orderConfirmed(order))));

    List<StoredEvent> appended = result(store.commit(appendAny(orderCancelled(order, "a"), orderCancelled(order, "b"))));

    assertThat(started).extracting(e -> e.envelope().sequence()).containsExactly(1L);
    assertThat(appended).extracting(e -> e.envelope().sequence()).containsExactly(3L, 4L);
    assertThat(result(store.readStream(Streams.of("orders", order)))).hasSize(4);
  }

  @Test
  void streams_and_documents_read_side_by_side_in_one_task_each_get_their_own() {
    String a = newOrderId();
    String b = newOrderId();
    List<StoredEvent> streamA = result(store.commit(startStream(orderPlaced(a), orderConfirmed(a))));
    List<StoredEvent> streamB = result(store.commit(startStream(orderPlaced(b))));
    result(store.commit(documentOnly(new DocumentWrite("stock", "sku-1", ExpectedVersion.NONE,
        new JsonObject().put("available", 7)))));

    // asked in one task, as a consumer's handlers ask for a batch's events: a store may read them together
    List<Object> read = Await.onContext(vertx.getOrCreateContext(), () -> Future.all(List.of(
            store.readStream(Streams.of("orders", b)), store.readStream(Streams.of("orders", "no-such-order")),
            store.readStream(Streams.of("orders", a)), store.document("stock", "sku-1"), store.document("stock", "sku-2"),
            store.document("stock", "sku-1")))
        .map(all -> all.list()));

    assertThat((List<?>) read.get(0)).isEqualTo(streamB);
    assertThat((List<?>) read.get(1)).isEmpty();
    assertThat((List<?>) read.get(2)).isEqualTo(streamA);
    assertThat(read.get(3)).isEqualTo(Optional.of(new Document("stock", "sku-1", 1, new JsonObject().put("available", 7))));
    assertThat(read.get(4)).isEqualTo(Optional.empty());
    assertThat(read.get(5)).isEqualTo(read.get(3));
    ((Optional<?>) read.get(3)).map(Document.class::cast).orElseThrow().body().put("available", 0);
    assertThat(((Optional<?>) read.get(5)).map(Document.class::cast).orElseThrow().body().getInteger("available"))
        .as("each reader has a body of its own to change").isEqualTo(7);
  }

  @Test
  void reading_a_stream_returns_only_its_events_in_version_order() {
    String a = newOrderId();
    String b = newOrderId();
    EventEnvelope a1 = orderPlaced(a);
    EventEnvelope a2 = orderConfirmed(a);
    EventEnvelope a3 = orderCancelled(a, "x");
    result(store.commit(startStream(a1)));
    result(store.commit(startStream(orderPlaced(b))));
    result(store.commit(UnitOfWork.of(append(1, a2))));
    result(store.commit(appendAny(orderConfirmed(b))));
    result(store.commit(UnitOfWork.of(append(2, a3))));

    List<StoredEvent> stream = result(store.readStream(Streams.of("orders", a)));

    assertThat(stream).extracting(StoredEvent::id).containsExactly(a1.id(), a2.id(), a3.id());
    assertThat(stream).extracting(e -> e.envelope().sequence()).containsExactly(1L, 2L, 3L);
    assertThat(result(store.readStream(Streams.of("orders", "no-such-order")))).isEmpty();
  }

  @Test
  void appending_events_of_two_streams_in_one_unit_numbers_each_stream_on_its_own() {
    String order = newOrderId();
    result(store.commit(startStream(orderPlaced(order))));

    List<StoredEvent> stored = result(store.commit(UnitOfWork.of(append(1, orderConfirmed(order)))
        .and(newStream(stockReserved(order)))));

    assertThat(stored).extracting(StoredEvent::streamId)
        .containsExactly(Streams.of("orders", order), Streams.of("inventory", order));
    assertThat(stored).extracting(e -> e.envelope().sequence()).containsExactly(2L, 1L);
  }

  // ------------------------------------------------------------------ reading the log

  @Test
  void reading_the_log_filters_by_type_respects_the_limit_and_starts_after_the_position() {
    String a = newOrderId();
    String b = newOrderId();
    List<StoredEvent> log = new ArrayList<>();
    log.addAll(result(store.commit(startStream(orderPlaced(a)))));                   // 0 placed
    log.addAll(result(store.commit(startStream(orderPlaced(b)))));                   // 1 placed
    log.addAll(result(store.commit(appendAny(orderConfirmed(a)))));                  // 2 confirmed
    log.addAll(result(store.commit(appendAny(orderCancelled(b, "no stock")))));      // 3 cancelled
    log.addAll(result(store.commit(startStream(paymentAuthorized(a, BigDecimal.TEN))))); // 4 authorized

    assertThat(result(store.readAll(0, Set.of(), 100))).containsExactlyElementsOf(log);
    assertThat(result(store.readAll(0, Set.of("OrderPlaced"), 100))).containsExactly(log.get(0), log.get(1));
    assertThat(result(store.readAll(0, Set.of("OrderPlaced", "OrderCancelled"), 100)))
        .containsExactly(log.get(0), log.get(1), log.get(3));
    assertThat(result(store.readAll(0, Set.of("InventoryLow"), 100))).isEmpty();
    // limit
    assertThat(result(store.readAll(0, Set.of(), 2))).containsExactly(log.get(0), log.get(1));
    assertThat(result(store.readAll(0, Set.of("OrderPlaced", "OrderCancelled"), 1))).containsExactly(log.get(0));
    // after a position: strictly after it
    assertThat(result(store.readAll(log.get(1).position(), Set.of(), 100))).containsExactlyElementsOf(log.subList(2, 5));
    assertThat(result(store.readAll(log.get(1).position(), Set.of("OrderPlaced", "OrderCancelled"), 100)))
        .containsExactly(log.get(3));
    assertThat(result(store.readAll(log.get(4).position(), Set.of(), 100))).isEmpty();
  }

  @Test
  void reading_a_subject_returns_every_event_about_it_across_streams_in_log_order() {
    String order = newOrderId();
    String other = newOrderId();
    List<StoredEvent> expected = new ArrayList<>();
    expected.addAll(result(store.commit(startStream(orderPlaced(order)))));
    result(store.commit(startStream(orderPlaced(other))));
    expected.addAll(result(store.commit(startStream(stockReserved(order)))));
    result(store.commit(startStream(stockReserved(other))));
    expected.addAll(result(store.commit(startStream(paymentAuthorized(order, BigDecimal.ONE)))));
    expected.addAll(result(store.commit(appendAny(orderConfirmed(order)))));

    List<StoredEvent> subject = result(store.readSubject(order));

    assertThat(subject).containsExactlyElementsOf(expected);
    assertThat(subject).extracting(StoredEvent::streamId).containsExactly(
        Streams.of("orders", order), Streams.of("inventory", order), Streams.of("payments", order),
        Streams.of("orders", order));
    assertThat(result(store.readSubject("nobody"))).isEmpty();
  }

  // ------------------------------------------------------------------ schemas

  /** Production trusts events made from typed records (see {@link UnitOfWork#SCHEMAS_CHECKED}); tests check them. */
  @Test
  void where_schemas_are_checked_an_event_breaking_its_schema_is_refused_and_nothing_of_its_unit_is_written() {
    assertThat(UnitOfWork.SCHEMAS_CHECKED).as("tests run with Java assertions on").isTrue();
    String good = newOrderId();
    String bad = newOrderId();
    UnitOfWork work = UnitOfWork.of(newStream(orderPlaced(good)))
        .and(newStream(invalidOrderPlaced(bad)))
        .and(new DocumentWrite("orders", good, ExpectedVersion.NONE, new JsonObject().put("status", "PENDING")));

    Throwable failure = failure(store.commit(work));

    assertThat(failure).isInstanceOf(InvalidEventData.class);
    assertThat(((InvalidEventData) failure).problems()).isNotEmpty();
    assertThat(failure.getMessage()).contains("OrderPlaced");
    assertThat(allEvents()).isEmpty();
    assertThat(result(store.document("orders", good))).isEmpty();
  }

  @Test
  void where_schemas_are_checked_an_event_of_a_type_outside_the_catalog_is_refused() {
    EventEnvelope placed = orderPlaced(newOrderId());
    EventEnvelope unknown = new EventEnvelope(placed.id(), "OrderTeleported", placed.source(), placed.subject(),
        placed.time(), null, 1, 0, null, null, new JsonObject().put("orderId", placed.subject()));

    Throwable failure = failure(store.commit(startStream(unknown)));

    assertThat(failure).isInstanceOf(InvalidEventData.class).hasMessageContaining("OrderTeleported");
    assertThat(allEvents()).isEmpty();
  }

  @Test
  void events_after_a_position_are_counted_all_or_by_type() {
    String order = newOrderId();
    List<StoredEvent> stored = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))));
    result(store.commit(startStream(stockReserved(order))));

    assertThat(result(store.countAfter(0, Set.of()))).isEqualTo(3);
    assertThat(result(store.countAfter(stored.get(0).position(), Set.of()))).isEqualTo(2);
    assertThat(result(store.countAfter(0, Set.of("OrderPlaced", "StockReserved")))).isEqualTo(2);
    assertThat(result(store.countAfter(stored.get(0).position(), Set.of("OrderPlaced")))).isZero();
  }

  // ------------------------------------------------------------------ read models

  @Test
  void a_read_model_is_registered_once_and_moves_only_from_the_position_it_is_at() {
    ReadModelStore models = store.readModels();
    ProjectionState registered = result(models.register("counts"));
    assertThat(registered).isEqualTo(new ProjectionState("counts", 1, 0, Optional.empty()));

    result(models.apply("counts", 1, 0, 5, Map.of("a", new JsonObject().put("n", 1), "b", new JsonObject().put("n", 2))));
    Throwable moved = failure(models.apply("counts", 1, 0, 9, Map.of("a", new JsonObject().put("n", 99))));
    result(models.apply("counts", 1, 5, 7, Collections.singletonMap("b", null)));

    assertThat(moved).isInstanceOf(ProjectionMoved.class);
    assertThat(result(models.row("counts", "a"))).contains(new JsonObject().put("n", 1));
    assertThat(result(models.row("counts", "b"))).as("deleted").isEmpty();
    assertThat(result(models.register("counts")).position()).as("registering again keeps it").isEqualTo(7);
    assertThat(failure(models.register("Not A Name"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void the_rows_among_many_ids_are_read_at_once_and_an_update_replaces_a_row_whole() {
    ReadModelStore models = store.readModels();
    result(models.register("many"));
    result(models.apply("many", 1, 0, 1, Map.of("a", new JsonObject().put("n", 1), "b", new JsonObject().put("n", 2),
        "c", new JsonObject().put("text", "quote \" and \u00e9"))));
    result(models.apply("many", 1, 1, 2, Map.of("b", new JsonObject().put("m", 3))));

    assertThat(result(models.rows("many", 1, List.of("a", "b", "c", "missing", "a")))).isEqualTo(Map.of(
        "a", new JsonObject().put("n", 1),
        "b", new JsonObject().put("m", 3),
        "c", new JsonObject().put("text", "quote \" and \u00e9")));
    assertThat(result(models.rows("many", 1, List.of()))).isEmpty();
    assertThat(failure(models.rows("many", 2, List.of("a")))).as("no such generation").isInstanceOf(ProjectionMoved.class);
  }

  @Test
  void a_rebuild_fills_a_new_generation_beside_the_serving_one_and_switches_it_in_whole() {
    ReadModelStore models = store.readModels();
    result(models.register("views"));
    result(models.apply("views", 1, 0, 3, Map.of("o-1", new JsonObject().put("v", "old"))));

    ProjectionState rebuilding = result(models.beginRebuild("views"));
    assertThat(rebuilding.rebuild()).contains(new ProjectionState.Rebuild(2, 0));
    assertThat(result(models.beginRebuild("views"))).as("a second request changes nothing").isEqualTo(rebuilding);
    result(models.apply("views", 2, 0, 4, Map.of("o-1", new JsonObject().put("v", "new"))));
    assertThat(result(models.row("views", "o-1"))).as("the serving generation still answers")
        .contains(new JsonObject().put("v", "old"));

    ProjectionState switched = result(models.finishRebuild("views", 2));

    assertThat(switched).isEqualTo(new ProjectionState("views", 2, 4, Optional.empty()));
    assertThat(result(models.row("views", "o-1"))).contains(new JsonObject().put("v", "new"));
    assertThat(failure(models.row("views", 1, "o-1"))).as("the old table is dropped").isInstanceOf(ProjectionMoved.class);
    assertThat(failure(models.finishRebuild("views", 3))).isInstanceOf(ProjectionMoved.class);
  }

  @Test
  void recent_rows_come_newest_first_and_the_head_is_the_last_position() {
    ReadModelStore models = store.readModels();
    assertThat(result(models.head())).isZero();
    result(models.register("recent"));
    result(models.apply("recent", 1, 0, 1, Map.of("first", new JsonObject().put("id", "first"))));
    result(models.apply("recent", 1, 1, 2, Map.of("second", new JsonObject().put("id", "second"))));
    result(models.apply("recent", 1, 2, 3, Map.of("first", new JsonObject().put("id", "first"))));
    List<StoredEvent> stored = result(store.commit(startStream(orderPlaced(newOrderId()))));

    assertThat(result(models.recentRows("recent", 10))).extracting(row -> row.getString("id"))
        .containsExactly("first", "second");
    assertThat(result(models.recentRows("recent", 1))).hasSize(1);
    assertThat(result(models.head())).isEqualTo(stored.get(0).position());
  }

  @Test
  void recent_rows_filtered_by_a_field_are_only_those_whose_field_has_the_value() {
    ReadModelStore models = store.readModels();
    result(models.register("owned"));
    result(models.apply("owned", 1, 0, 1, Map.of("a-1", new JsonObject().put("id", "a-1").put("owner", "alice"))));
    result(models.apply("owned", 1, 1, 2, Map.of("b-1", new JsonObject().put("id", "b-1").put("owner", "bob"))));
    result(models.apply("owned", 1, 2, 3, Map.of("a-2", new JsonObject().put("id", "a-2").put("owner", "alice"))));
    // a value that looks like a JSON path or SQL is only ever a value
    result(models.apply("owned", 1, 3, 4, Map.of("x-1", new JsonObject().put("id", "x-1").put("owner", "' OR 1=1 --"))));

    assertThat(result(models.recentRowsWhere("owned", "owner", "alice", 10))).extracting(row -> row.getString("id"))
        .containsExactly("a-2", "a-1");
    assertThat(result(models.recentRowsWhere("owned", "owner", "alice", 1))).hasSize(1);
    assertThat(result(models.recentRowsWhere("owned", "owner", "' OR 1=1 --", 10))).extracting(row -> row.getString("id"))
        .containsExactly("x-1");
    assertThat(result(models.recentRowsWhere("owned", "owner", "carol", 10))).isEmpty();
    assertThat(failure(models.recentRowsWhere("owned", "owner') or ('1", "alice", 10)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_commit_of_documents_only_appends_nothing_to_the_log() {
    List<StoredEvent> stored = result(store.commit(documentOnly(
        new DocumentWrite("orders", "o-1", ExpectedVersion.NONE, new JsonObject().put("status", "PENDING")))));

    assertThat(stored).isEmpty();
    assertThat(allEvents()).isEmpty();
    assertThat(result(store.document("orders", "o-1"))).isPresent();
  }

  // ------------------------------------------------------------------ documents

  @Test
  void a_document_is_written_at_revision_none_exact_or_any_and_each_write_raises_its_revision() {
    JsonObject pending = new JsonObject().put("status", "PENDING");
    JsonObject confirmed = new JsonObject().put("status", "CONFIRMED");
    JsonObject shipped = new JsonObject().put("status", "SHIPPED");

    assertThat(result(store.document("orders", "o-1"))).isEmpty();

    writeDocument(new DocumentWrite("orders", "o-1", ExpectedVersion.NONE, pending));
    assertThat(result(store.document("orders", "o-1"))).contains(new Document("orders", "o-1", 1, pending));

    writeDocument(new DocumentWrite("orders", "o-1", 1, confirmed));
    assertThat(result(store.document("orders", "o-1"))).contains(new Document("orders", "o-1", 2, confirmed));

    writeDocument(new DocumentWrite("orders", "o-1", ExpectedVersion.ANY, shipped));
    assertThat(result(store.document("orders", "o-1"))).contains(new Document("orders", "o-1", 3, shipped));

    writeDocument(new DocumentWrite("orders", "o-2", ExpectedVersion.ANY, pending));
    assertThat(result(store.document("orders", "o-2"))).contains(new Document("orders", "o-2", 1, pending));
  }

  @Test
  void a_document_write_at_a_wrong_revision_is_a_concurrency_conflict_and_leaves_the_document_as_it_was() {
    JsonObject pending = new JsonObject().put("status", "PENDING");
    writeDocument(new DocumentWrite("orders", "o-1", ExpectedVersion.NONE, pending));
    writeDocument(new DocumentWrite("orders", "o-1", 1, pending.copy().put("status", "CONFIRMED")));
    Document current = result(store.document("orders", "o-1")).orElseThrow();

    Throwable createdTwice = failure(store.commit(documentOnly(
        new DocumentWrite("orders", "o-1", ExpectedVersion.NONE, new JsonObject().put("status", "NEW")))));
    Throwable staleRevision = failure(store.commit(documentOnly(
        new DocumentWrite("orders", "o-1", 1, new JsonObject().put("status", "CANCELLED")))));
    Throwable missing = failure(store.commit(documentOnly(
        new DocumentWrite("orders", "o-404", 3, new JsonObject().put("status", "CANCELLED")))));

    assertThat(createdTwice).isInstanceOf(ConcurrencyConflict.class);
    assertThat(staleRevision).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("o-1");
    assertThat(missing).isInstanceOf(ConcurrencyConflict.class);
    assertThat(result(store.document("orders", "o-1"))).contains(current);
    assertThat(result(store.document("orders", "o-404"))).isEmpty();
  }

  /**
   * A decision must not depend on whether its input came from memory or from storage: an amount
   * read back, after the store was opened again, is the decimal that was written, scale included
   * (a price of 30.00 stays 30.00, not the double 30.0), and one too large for a double keeps its cents.
   */
  @Test
  void amounts_read_back_from_storage_are_the_decimals_written_scale_and_all() {
    String order = newOrderId();
    BigDecimal total = new BigDecimal("12345678901234567.80");
    BigDecimal price = new BigDecimal("30.00");
    result(store.commit(startStream(orderPlaced(order, total))
        .and(new DocumentWrite("prices", "sku-1", ExpectedVersion.NONE, new JsonObject().put("unitPrice", price)))));
    ReadModelStore models = store.readModels();
    result(models.register("amounts"));
    result(models.apply("amounts", 1, 0, 1, Map.of(order, new JsonObject().put("total", total))));
    result(store.close());
    store = result(openStore(vertx)); // nothing of it in memory: all read from storage

    StoredEvent placed = result(store.readStream(Streams.of("orders", order))).get(0);
    assertThat(placed.envelope().data().getValue("total")).isEqualTo(total);
    assertThat(result(store.readAll(0, Set.of("OrderPlaced"), 10)).get(0).envelope().data().getValue("total"))
        .isEqualTo(total);
    assertThat(result(store.document("prices", "sku-1")).orElseThrow().body().getValue("unitPrice")).isEqualTo(price);
    assertThat(result(store.readModels().row("amounts", order)).orElseThrow().getValue("total")).isEqualTo(total);
  }

  @Test
  void creating_a_document_written_before_the_store_was_opened_is_a_concurrency_conflict() {
    JsonObject pending = new JsonObject().put("status", "PENDING");
    writeDocument(new DocumentWrite("orders", "o-1", ExpectedVersion.NONE, pending));
    result(store.close());
    store = result(openStore(vertx)); // a store that knows nothing of the document yet

    Throwable createdTwice = failure(store.commit(documentOnly(
        new DocumentWrite("orders", "o-1", ExpectedVersion.NONE, new JsonObject().put("status", "NEW")))));

    assertThat(createdTwice).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("orders/o-1");
    assertThat(result(store.document("orders", "o-1"))).contains(new Document("orders", "o-1", 1, pending));
  }

  @Test
  void a_document_conflict_rolls_back_the_events_of_the_same_unit() {
    writeDocument(new DocumentWrite("orders", "o-1", ExpectedVersion.NONE, new JsonObject()));
    String order = newOrderId();

    Throwable failure = failure(store.commit(startStream(orderPlaced(order))
        .and(new DocumentWrite("orders", "o-1", ExpectedVersion.NONE, new JsonObject()))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class);
    assertThat(allEvents()).isEmpty();
  }

  @Test
  void several_new_documents_of_one_unit_are_written_all_or_none_if_one_exists_already() {
    writeDocument(new DocumentWrite("amounts", "o-2", ExpectedVersion.NONE, new JsonObject().put("amount", 2)));
    String order = newOrderId();

    Throwable failure = failure(store.commit(startStream(orderPlaced(order))
        .and(new DocumentWrite("amounts", "o-1", ExpectedVersion.NONE, new JsonObject().put("amount", 10)))
        .and(new DocumentWrite("amounts", "o-2", ExpectedVersion.NONE, new JsonObject().put("amount", 20)))
        .and(new DocumentWrite("amounts", "o-3", ExpectedVersion.NONE, new JsonObject().put("amount", 30)))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("amounts/o-2");
    assertThat(allEvents()).isEmpty();
    assertThat(result(store.document("amounts", "o-1"))).isEmpty();
    assertThat(result(store.document("amounts", "o-2")).orElseThrow().body()).isEqualTo(new JsonObject().put("amount", 2));
    assertThat(result(store.document("amounts", "o-3"))).isEmpty();

    result(store.commit(UnitOfWork.NOTHING
        .and(new DocumentWrite("amounts", "o-1", ExpectedVersion.NONE, new JsonObject().put("amount", 10)))
        .and(new DocumentWrite("amounts", "o-2", 1, new JsonObject().put("amount", 21)))
        .and(new DocumentWrite("amounts", "o-3", ExpectedVersion.NONE, new JsonObject().put("amount", 30)))));

    assertThat(result(store.document("amounts", "o-1")).orElseThrow().revision()).isEqualTo(1);
    assertThat(result(store.document("amounts", "o-2")).orElseThrow().revision()).isEqualTo(2);
    assertThat(result(store.document("amounts", "o-3")).orElseThrow().body()).isEqualTo(new JsonObject().put("amount", 30));
  }

  @Test
  void one_document_created_twice_in_one_unit_is_a_conflict() {
    Throwable failure = failure(store.commit(UnitOfWork.NOTHING
        .and(new DocumentWrite("amounts", "o-1", ExpectedVersion.NONE, new JsonObject().put("amount", 10)))
        .and(new DocumentWrite("amounts", "o-1", ExpectedVersion.NONE, new JsonObject().put("amount", 11)))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class);
    assertThat(result(store.document("amounts", "o-1"))).isEmpty();
  }

  @Test
  void documents_of_different_collections_with_the_same_id_are_independent() {
    writeDocument(new DocumentWrite("orders", "x", ExpectedVersion.NONE, new JsonObject().put("a", 1)));
    writeDocument(new DocumentWrite("stock", "x", ExpectedVersion.NONE, new JsonObject().put("b", 2)));

    assertThat(result(store.document("orders", "x")).orElseThrow().body()).isEqualTo(new JsonObject().put("a", 1));
    assertThat(result(store.document("stock", "x")).orElseThrow().body()).isEqualTo(new JsonObject().put("b", 2));
  }

  @Test
  void documents_expired_at_an_instant_are_forgotten_in_bounded_chunks_and_the_others_kept() {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    JsonObject body = new JsonObject().put("answer", 202);
    writeDocument(new DocumentWrite("keys", "expired-long-ago", ExpectedVersion.NONE, body)
        .expiringAt(now.minusSeconds(86_400)));
    writeDocument(new DocumentWrite("keys", "expired-just-now", ExpectedVersion.NONE, body).expiringAt(now));
    // several new documents of one unit go in one statement on PostgreSQL: their expiries too
    result(store.commit(UnitOfWork.NOTHING
        .and(new DocumentWrite("keys", "expired-a-second-ago", ExpectedVersion.NONE, body).expiringAt(now.minusSeconds(1)))
        .and(new DocumentWrite("keys", "expires-in-a-millisecond", ExpectedVersion.NONE, body)
            .expiringAt(now.plusMillis(1)))));
    writeDocument(new DocumentWrite("keys", "never-expires", ExpectedVersion.NONE, body));

    assertThat(result(store.forgetExpiredDocuments(now, 2))).as("the first chunk").isEqualTo(2);
    assertThat(result(store.document("keys", "expired-long-ago"))).as("the earliest expired go first").isEmpty();
    assertThat(result(store.forgetExpiredDocuments(now, 2))).as("what is left").isEqualTo(1);
    assertThat(result(store.forgetExpiredDocuments(now, 2))).isZero();

    assertThat(result(store.document("keys", "expired-just-now"))).isEmpty();
    assertThat(result(store.document("keys", "expired-a-second-ago"))).isEmpty();
    assertThat(result(store.document("keys", "expires-in-a-millisecond"))).isPresent();
    assertThat(result(store.document("keys", "never-expires"))).isPresent();
  }

  @Test
  void a_document_written_again_keeps_the_expiry_of_its_last_write() {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    writeDocument(new DocumentWrite("keys", "renewed", ExpectedVersion.NONE, new JsonObject().put("n", 1))
        .expiringAt(now.minusSeconds(60)));
    writeDocument(new DocumentWrite("keys", "renewed", 1, new JsonObject().put("n", 2)).expiringAt(now.plusSeconds(60)));
    writeDocument(new DocumentWrite("keys", "kept", ExpectedVersion.NONE, new JsonObject().put("n", 1))
        .expiringAt(now.minusSeconds(60)));
    writeDocument(new DocumentWrite("keys", "kept", ExpectedVersion.ANY, new JsonObject().put("n", 2)));

    assertThat(result(store.forgetExpiredDocuments(now, 10))).isZero();
    assertThat(result(store.forgetExpiredDocuments(now.plusSeconds(120), 10))).as("the renewed expiry").isEqualTo(1);
    assertThat(result(store.document("keys", "renewed"))).isEmpty();
    assertThat(result(store.document("keys", "kept")).orElseThrow().revision()).isEqualTo(2);
  }

  @Test
  void a_forgotten_document_is_created_anew_at_revision_one() {
    Instant now = Instant.parse("2026-12-07T12:00:00Z");
    writeDocument(new DocumentWrite("keys", "k", ExpectedVersion.NONE, new JsonObject().put("n", 1))
        .expiringAt(now.minusSeconds(60)));
    writeDocument(new DocumentWrite("keys", "k", 1, new JsonObject().put("n", 2)).expiringAt(now.minusSeconds(30)));

    assertThat(result(store.forgetExpiredDocuments(now, 10))).isEqualTo(1);

    // a store that remembers revisions must forget the one of a document it deleted
    writeDocument(new DocumentWrite("keys", "k", ExpectedVersion.NONE, new JsonObject().put("n", 3)));
    assertThat(result(store.document("keys", "k"))).contains(new Document("keys", "k", 1, new JsonObject().put("n", 3)));
  }

  // ------------------------------------------------------------------ consumers: inbox, checkpoint, ordering

  @Test
  void committing_a_consumed_event_writes_the_inbox_and_the_effect_together() {
    String order = newOrderId();
    StoredEvent cause = result(store.commit(startStream(orderPlaced(order)))).get(0);
    EventEnvelope reserved = stockReserved(order);
    UnitOfWork effect = startStream(reserved)
        .and(new DocumentWrite("reservations", order, ExpectedVersion.NONE, new JsonObject().put("units", 1)));

    ConsumeOutcome outcome = result(store.commitConsumed("inventory", cause, effect));

    assertThat(outcome).isEqualTo(ConsumeOutcome.APPLIED);
    assertThat(result(store.isHandled("inventory", cause))).isTrue();
    assertThat(result(store.document("reservations", order))).map(Document::revision).contains(1L);
    List<StoredEvent> effectStream = result(store.readStream(Streams.of("inventory", order)));
    assertThat(effectStream).extracting(StoredEvent::id).containsExactly(reserved.id());
    assertThat(allEvents()).extracting(StoredEvent::id).containsExactly(cause.id(), reserved.id());
    // the inbox is the consumer's own
    assertThat(result(store.isHandled("payments", cause))).isFalse();
    // the checkpoint is the reader's to move (the watermark of what it handled), not a commit's
    assertThat(result(store.checkpoint("inventory"))).isZero();
  }

  @Test
  void committing_the_same_consumed_event_again_is_a_duplicate_and_writes_nothing() {
    String order = newOrderId();
    StoredEvent cause = result(store.commit(startStream(orderPlaced(order)))).get(0);
    result(store.commitConsumed("inventory", cause,
        documentOnly(new DocumentWrite("reservations", order, ExpectedVersion.ANY, new JsonObject().put("n", 1)))));

    ConsumeOutcome again = result(store.commitConsumed("inventory", cause,
        startStream(stockReserved(order))
            .and(new DocumentWrite("reservations", order, ExpectedVersion.ANY, new JsonObject().put("n", 2)))));

    assertThat(again).isEqualTo(ConsumeOutcome.DUPLICATE);
    assertThat(result(store.document("reservations", order)))
        .contains(new Document("reservations", order, 1, new JsonObject().put("n", 1)));
    assertThat(result(store.readStream(Streams.of("inventory", order)))).isEmpty();
    assertThat(allEvents()).containsExactly(cause);
  }

  @Test
  void a_consumed_event_whose_work_conflicts_rolls_back_its_inbox_entry_and_checkpoint_too() {
    String order = newOrderId();
    StoredEvent cause = result(store.commit(startStream(orderPlaced(order)))).get(0);
    UnitOfWork conflicting = startStream(stockReserved(order))
        .and(new DocumentWrite("reservations", order, 7, new JsonObject()));

    Throwable failure = failure(store.commitConsumed("inventory", cause, conflicting));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class);
    assertThat(result(store.isHandled("inventory", cause))).isFalse();
    assertThat(result(store.checkpoint("inventory"))).isZero();
    assertThat(result(store.readStream(Streams.of("inventory", order)))).isEmpty();

    // so that a retry, deciding again, is applied
    ConsumeOutcome retried = result(store.commitConsumed("inventory", cause, startStream(stockReserved(order))));
    assertThat(retried).isEqualTo(ConsumeOutcome.APPLIED);
    assertThat(result(store.readStream(Streams.of("inventory", order)))).hasSize(1);
  }

  @Test
  void an_event_of_the_log_at_or_before_the_consumers_place_in_its_stream_was_handled_and_writes_nothing() {
    // a consumer reads the log in order, one event of a stream after the other: once it has reached
    // a sequence, every event of the stream up to it was handled (or dead-lettered) before
    String order = newOrderId();
    List<StoredEvent> stream = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))));
    StoredEvent first = stream.get(0);
    StoredEvent second = stream.get(1);
    result(store.commitConsumed("notifications", first, UnitOfWork.NOTHING));
    result(store.commitConsumed("notifications", second, UnitOfWork.NOTHING));

    ConsumeOutcome again = result(store.commitConsumed("notifications", first,
        documentOnly(new DocumentWrite("sent", order, ExpectedVersion.ANY, new JsonObject()))));

    assertThat(again).isEqualTo(ConsumeOutcome.DUPLICATE);
    assertThat(result(store.document("sent", order))).isEmpty();
    assertThat(result(store.handledAmong("notifications", stream))).containsExactlyInAnyOrder(first.id(), second.id());
    // the place is the consumer's own
    assertThat(result(store.handledAmong("projector", stream))).isEmpty();
  }

  @Test
  void an_event_from_a_broker_older_than_one_applied_from_the_same_stream_fails_as_stale_and_writes_nothing() {
    // a broker may deliver an older event again after a later one of its stream: the inbox tells
    // that it was not handled, its sequence that it comes too late
    String order = newOrderId();
    List<StoredEvent> stream = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))))
        .stream().map(EventStoreContractTest::asFromABroker).toList();
    StoredEvent first = stream.get(0);
    StoredEvent second = stream.get(1);
    result(store.commitConsumed("notifications", second, UnitOfWork.NOTHING));

    Throwable failure = failure(store.commitConsumed("notifications", first,
        documentOnly(new DocumentWrite("sent", order, ExpectedVersion.ANY, new JsonObject()))));

    assertThat(failure).isInstanceOf(StaleEvent.class);
    assertThat(result(store.isHandled("notifications", first))).isFalse();
    assertThat(result(store.document("sent", order))).isEmpty();
    // a redelivery of the newer event is a duplicate, not stale
    assertThat(result(store.commitConsumed("notifications", second, UnitOfWork.NOTHING)))
        .isEqualTo(ConsumeOutcome.DUPLICATE);
    // ordering is per consumer: another consumer applies the stream from its start
    assertThat(result(store.commitConsumed("projector", first, UnitOfWork.NOTHING)))
        .isEqualTo(ConsumeOutcome.APPLIED);
    assertThat(result(store.commitConsumed("projector", second, UnitOfWork.NOTHING)))
        .isEqualTo(ConsumeOutcome.APPLIED);
  }

  @Test
  void one_read_tells_which_of_many_events_of_the_log_or_from_a_broker_a_consumer_handled() {
    List<StoredEvent> asked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      asked.add(result(store.commit(startStream(orderPlaced(newOrderId())))).get(0));
    }
    asked.add(new StoredEvent(0, orderPlaced(newOrderId())));
    asked.add(asFromABroker(result(store.commit(startStream(orderPlaced(newOrderId())))).get(0)));
    result(store.commitConsumed("inventory", asked.get(0), UnitOfWork.NOTHING));
    result(store.commitConsumed("inventory", asked.get(2), UnitOfWork.NOTHING));
    result(store.commitConsumed("inventory", asked.get(3), UnitOfWork.NOTHING));
    result(store.commitConsumed("payments", asked.get(1), UnitOfWork.NOTHING));
    result(store.commitConsumed("payments", asked.get(4), UnitOfWork.NOTHING));

    List<String> ids = asked.stream().map(StoredEvent::id).toList();

    assertThat(result(store.handledAmong("inventory", asked))).containsExactlyInAnyOrder(ids.get(0), ids.get(2), ids.get(3));
    assertThat(result(store.handledAmong("payments", asked))).containsExactlyInAnyOrder(ids.get(1), ids.get(4));
    assertThat(result(store.handledAmong("notifications", asked))).isEmpty();
    assertThat(result(store.handledAmong("inventory", List.of()))).isEmpty();
  }

  @Test
  void consuming_the_log_writes_no_inbox_row_and_consuming_from_a_broker_does() throws Exception {
    // the inbox would otherwise grow by a row for every event every consumer handles
    List<StoredEvent> log = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      log.addAll(result(store.commit(startStream(orderPlaced(newOrderId())))));
    }
    result(store.commitConsumed("mailer", log.get(0), UnitOfWork.NOTHING));
    result(store.commitConsumedTogether("mailer", log.subList(1, 3), UnitOfWork.NOTHING));
    result(store.deadLetter(letterFor("mailer", log.get(3), "boom", 1)));
    assertThat(inboxRows()).as("the log's events are known handled by their streams").isZero();

    result(store.commitConsumed("mailer", new StoredEvent(0, orderPlaced(newOrderId())), UnitOfWork.NOTHING));
    result(store.commitConsumedTogether("mailer", List.of(new StoredEvent(0, orderPlaced(newOrderId()))),
        UnitOfWork.NOTHING));
    assertThat(inboxRows()).isEqualTo(2);
    assertThat(result(store.handledAmong("mailer", log))).hasSize(4);
  }

  @Test
  void inbox_entries_made_before_an_instant_are_forgotten_in_bounded_chunks_and_later_ones_kept() throws Exception {
    List<StoredEvent> old = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      old.add(asFromABroker(result(store.commit(startStream(orderPlaced(newOrderId())))).get(0)));
      result(store.commitConsumed(i == 0 ? "mailer" : "auditor", old.get(i), UnitOfWork.NOTHING));
    }
    Thread.sleep(50);
    Instant before = Instant.now();
    Thread.sleep(50);
    StoredEvent recent = asFromABroker(result(store.commit(startStream(orderPlaced(newOrderId())))).get(0));
    result(store.commitConsumed("mailer", recent, UnitOfWork.NOTHING));

    assertThat(result(store.forgetInboxEntriesBefore(before, 2))).as("the first chunk").isEqualTo(2);
    assertThat(result(store.forgetInboxEntriesBefore(before, 2))).as("what is left").isEqualTo(1);
    assertThat(result(store.forgetInboxEntriesBefore(before, 2))).isZero();

    assertThat(inboxRows()).isEqualTo(1);
    assertThat(result(store.isHandled("mailer", recent))).isTrue();
    assertThat(result(store.isHandled("mailer", old.get(0)))).isFalse();
  }

  @Test
  void the_inbox_entry_of_an_event_among_the_dead_letters_is_kept_until_the_letter_goes() {
    StoredEvent lettered = asFromABroker(result(store.commit(startStream(orderPlaced(newOrderId())))).get(0));
    DeadLetter letter = letterFor("mailer", lettered, "IllegalStateException: smtp down", 5);
    result(store.deadLetter(letter));

    assertThat(result(store.forgetInboxEntriesBefore(Instant.now().plusSeconds(1), 100))).isZero();
    assertThat(result(store.isHandled("mailer", lettered))).as("until its letter is replayed or discarded").isTrue();

    result(store.discardDeadLetter(letter.id()));
    assertThat(result(store.forgetInboxEntriesBefore(Instant.now().plusSeconds(1), 100))).isEqualTo(1);
  }

  @Test
  void an_event_from_a_broker_redelivered_after_its_inbox_entry_was_forgotten_is_refused_never_applied_again() {
    String order = newOrderId();
    StoredEvent placed = asFromABroker(result(store.commit(startStream(orderPlaced(order)))).get(0));
    result(store.commitConsumed("notifications", placed,
        documentOnly(new DocumentWrite("sent", order, ExpectedVersion.NONE, new JsonObject().put("times", 1)))));
    result(store.forgetInboxEntriesBefore(Instant.now().plusSeconds(1), 100));

    Throwable failure = failure(store.commitConsumed("notifications", placed,
        documentOnly(new DocumentWrite("sent", order, ExpectedVersion.ANY, new JsonObject().put("times", 2)))));

    assertThat(failure).as("its stream's sequence refuses it").isInstanceOf(StaleEvent.class);
    assertThat(result(store.document("sent", order)).orElseThrow().body().getInteger("times")).isEqualTo(1);
  }

  @Test
  void an_inbox_row_an_earlier_build_wrote_for_an_event_of_the_log_still_marks_it_handled() throws Exception {
    // earlier builds put every event a consumer handled, or dead-lettered, in its inbox, and the
    // dead-lettered ones not in their streams
    StoredEvent event = result(store.commit(startStream(orderPlaced(newOrderId())))).get(0);

    putInInboxAsAnEarlierBuild("mailer", event.id());

    assertThat(result(store.isHandled("mailer", event))).isTrue();
    assertThat(result(store.isHandled("auditor", event))).isFalse();
  }

  @Test
  void events_decided_together_commit_their_inbox_entries_and_their_one_effect_together() {
    String first = newOrderId();
    String second = newOrderId();
    StoredEvent placedFirst = result(store.commit(startStream(orderPlaced(first)))).get(0);
    StoredEvent placedSecond = result(store.commit(startStream(orderPlaced(second)))).get(0);
    UnitOfWork effect = startStream(stockReserved(first)).and(startStream(stockReserved(second)))
        .and(new DocumentWrite("stock", "sku-1", ExpectedVersion.NONE, new JsonObject().put("available", 8)));

    result(store.commitConsumedTogether("inventory", List.of(placedFirst, placedSecond), effect));

    assertThat(result(store.isHandled("inventory", placedFirst))).isTrue();
    assertThat(result(store.isHandled("inventory", placedSecond))).isTrue();
    assertThat(result(store.readStream(Streams.of("inventory", first)))).hasSize(1);
    assertThat(result(store.readStream(Streams.of("inventory", second)))).hasSize(1);
    assertThat(result(store.document("stock", "sku-1"))).map(Document::revision).contains(1L);
    // one of them again, alone, is a duplicate
    assertThat(result(store.commitConsumed("inventory", placedSecond, UnitOfWork.NOTHING)))
        .isEqualTo(ConsumeOutcome.DUPLICATE);
  }

  @Test
  void events_decided_together_of_which_one_was_handled_before_write_nothing() {
    String first = newOrderId();
    String second = newOrderId();
    StoredEvent placedFirst = result(store.commit(startStream(orderPlaced(first)))).get(0);
    StoredEvent placedSecond = result(store.commit(startStream(orderPlaced(second)))).get(0);
    result(store.commitConsumed("inventory", placedSecond, UnitOfWork.NOTHING));

    Throwable failure = failure(store.commitConsumedTogether("inventory", List.of(placedFirst, placedSecond),
        startStream(stockReserved(first))
            .and(new DocumentWrite("stock", "sku-1", ExpectedVersion.NONE, new JsonObject().put("available", 9)))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining(placedSecond.id());
    assertThat(result(store.isHandled("inventory", placedFirst))).isFalse();
    assertThat(result(store.readStream(Streams.of("inventory", first)))).isEmpty();
    assertThat(result(store.document("stock", "sku-1"))).isEmpty();
  }

  @Test
  void events_from_a_broker_decided_together_of_which_one_is_older_than_one_applied_fail_as_stale_and_write_nothing() {
    String order = newOrderId();
    String other = newOrderId();
    List<StoredEvent> stream = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))))
        .stream().map(EventStoreContractTest::asFromABroker).toList();
    StoredEvent otherPlaced = asFromABroker(result(store.commit(startStream(orderPlaced(other)))).get(0));
    result(store.commitConsumed("notifications", stream.get(1), UnitOfWork.NOTHING));

    Throwable failure = failure(store.commitConsumedTogether("notifications", List.of(otherPlaced, stream.get(0)),
        documentOnly(new DocumentWrite("sent", other, ExpectedVersion.ANY, new JsonObject()))));

    assertThat(failure).isInstanceOf(StaleEvent.class).hasMessageContaining(stream.get(0).type());
    assertThat(result(store.isHandled("notifications", otherPlaced))).isFalse();
    assertThat(result(store.isHandled("notifications", stream.get(0)))).isFalse();
    assertThat(result(store.document("sent", other))).isEmpty();
    // the other event, alone, is applied
    result(store.commitConsumedTogether("notifications", List.of(otherPlaced), UnitOfWork.NOTHING));
    assertThat(result(store.isHandled("notifications", otherPlaced))).isTrue();
  }

  @Test
  void events_decided_together_whose_effect_conflicts_write_nothing() {
    String order = newOrderId();
    StoredEvent placed = result(store.commit(startStream(orderPlaced(order)))).get(0);

    Throwable failure = failure(store.commitConsumedTogether("inventory", List.of(placed),
        startStream(stockReserved(order)).and(new DocumentWrite("stock", "sku-1", 3, new JsonObject()))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class);
    assertThat(result(store.isHandled("inventory", placed))).isFalse();
    assertThat(result(store.readStream(Streams.of("inventory", order)))).isEmpty();
  }

  @Test
  void a_checkpoint_only_moves_forward_and_is_each_consumers_own() {
    assertThat(result(store.checkpoint("projector"))).isZero();

    result(store.saveCheckpoint("projector", 7));
    result(store.saveCheckpoint("projector", 3)); // a late save of an older watermark
    result(store.saveCheckpoint("auditor", 2));

    assertThat(result(store.checkpoint("projector"))).isEqualTo(7);
    assertThat(result(store.checkpoint("auditor"))).isEqualTo(2);
  }

  @Test
  void the_inbox_reaches_the_highest_position_among_the_events_of_the_log_a_consumer_handled_or_dead_lettered() {
    List<StoredEvent> log = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      log.addAll(result(store.commit(startStream(orderPlaced(newOrderId())))));
    }
    assertThat(result(store.handledUpTo("projector"))).isZero();

    result(store.commitConsumedTogether("projector", List.of(log.get(2), log.get(0)), UnitOfWork.NOTHING));
    assertThat(result(store.handledUpTo("projector"))).isEqualTo(log.get(2).position());

    result(store.commitConsumed("projector", log.get(1), UnitOfWork.NOTHING)); // handled late: no step back
    assertThat(result(store.handledUpTo("projector"))).isEqualTo(log.get(2).position());

    result(store.commitConsumed("projector", log.get(3), UnitOfWork.NOTHING));
    assertThat(result(store.handledUpTo("projector"))).isEqualTo(log.get(3).position());

    result(store.deadLetter(letterFor("projector", log.get(4), "PoisonEvent: no such order", 1)));
    assertThat(result(store.handledUpTo("projector"))).isEqualTo(log.get(4).position());

    // an event from a broker has no place in the log; another consumer's inbox is its own
    result(store.commitConsumed("projector", new StoredEvent(0, orderPlaced(newOrderId())), UnitOfWork.NOTHING));
    assertThat(result(store.handledUpTo("projector"))).isEqualTo(log.get(4).position());
    assertThat(result(store.handledUpTo("mailer"))).isZero();
  }

  @Test
  void a_consumed_batch_that_fails_leaves_the_inbox_reach_where_it_was() {
    String order = newOrderId();
    StoredEvent placed = result(store.commit(startStream(orderPlaced(order)))).get(0);
    StoredEvent later = result(store.commit(startStream(orderPlaced(newOrderId())))).get(0);
    result(store.commitConsumed("inventory", placed, UnitOfWork.NOTHING));

    // the first event again: handled before, so the batch writes nothing
    assertThat(failure(store.commitConsumedTogether("inventory", List.of(later, placed), UnitOfWork.NOTHING)))
        .isInstanceOf(ConcurrencyConflict.class);

    assertThat(result(store.handledUpTo("inventory"))).isEqualTo(placed.position());
  }

  @Test
  void an_event_from_a_broker_without_a_position_is_consumed_like_any_other() {
    // an event that came from a broker, not from our log, has position 0 and no sequence
    StoredEvent foreign = new StoredEvent(0, orderPlaced(newOrderId()));

    assertThat(result(store.commitConsumed("projector", foreign, UnitOfWork.NOTHING))).isEqualTo(ConsumeOutcome.APPLIED);

    assertThat(result(store.isHandled("projector", foreign))).isTrue();
    assertThat(result(store.commitConsumed("projector", foreign, UnitOfWork.NOTHING)))
        .isEqualTo(ConsumeOutcome.DUPLICATE);
  }

  // ------------------------------------------------------------------ dead letters

  @Test
  void a_dead_letter_is_recorded_and_marks_the_event_handled() {
    String order = newOrderId();
    StoredEvent event = result(store.commit(startStream(orderPlaced(order)))).get(0);
    DeadLetter letter = letterFor("mailer", event, "IllegalStateException: smtp down", 5);

    result(store.deadLetter(letter));

    assertThat(result(store.findDeadLetter(letter.id()))).contains(letter);
    assertThat(result(store.deadLetters(100))).containsExactly(letter);
    assertThat(result(store.isHandled("mailer", event))).isTrue();
    // a redelivery of it is not handled again
    assertThat(result(store.commitConsumed("mailer", event, UnitOfWork.NOTHING))).isEqualTo(ConsumeOutcome.DUPLICATE);
  }

  @Test
  void a_dead_letter_of_an_event_from_a_broker_marks_it_handled_too() {
    StoredEvent event = asFromABroker(result(store.commit(startStream(orderPlaced(newOrderId())))).get(0));

    result(store.deadLetter(letterFor("mailer", event, "IllegalStateException: smtp down", 5)));

    assertThat(result(store.isHandled("mailer", event))).isTrue();
    assertThat(result(store.commitConsumed("mailer", event, UnitOfWork.NOTHING))).isEqualTo(ConsumeOutcome.DUPLICATE);
    assertThat(result(store.isHandled("projector", event))).isFalse();
  }

  @Test
  void dead_letters_are_listed_up_to_the_limit_and_found_by_id() {
    String order = newOrderId();
    List<StoredEvent> events = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order),
        orderCancelled(order, "x"))));
    List<DeadLetter> letters = new ArrayList<>();
    for (StoredEvent event : events) {
      DeadLetter letter = letterFor("mailer", event, "boom " + event.type(), 1);
      letters.add(letter);
      result(store.deadLetter(letter));
    }

    assertThat(result(store.deadLetters(100))).containsExactlyInAnyOrderElementsOf(letters);
    assertThat(result(store.deadLetters(2))).hasSize(2).isSubsetOf(letters);
    assertThat(result(store.findDeadLetter(letters.get(1).id()))).contains(letters.get(1));
    assertThat(result(store.findDeadLetter(UUID.randomUUID().toString()))).isEmpty();
  }

  @Test
  void discarding_a_dead_letter_keeps_the_event_handled() {
    String order = newOrderId();
    StoredEvent event = result(store.commit(startStream(orderPlaced(order)))).get(0);
    DeadLetter letter = letterFor("mailer", event, "boom", 3);
    result(store.deadLetter(letter));

    assertThat(result(store.discardDeadLetter(letter.id()))).isTrue();

    assertThat(result(store.findDeadLetter(letter.id()))).isEmpty();
    assertThat(result(store.isHandled("mailer", event))).isTrue();
    assertThat(result(store.discardDeadLetter(letter.id()))).as("a second discard finds nothing").isFalse();
    assertThat(result(store.isHandled("mailer", event))).isTrue();
  }

  @Test
  void a_dead_letter_with_the_id_of_an_existing_one_replaces_it() {
    StoredEvent event = result(store.commit(startStream(orderPlaced(newOrderId())))).get(0);
    DeadLetter first = letterFor("mailer", event, "boom", 3);
    result(store.deadLetter(first));
    DeadLetter again = new DeadLetter(first.id(), first.consumer(), first.eventId(), first.position(),
        "IllegalStateException: still down", 5, first.event(), Instant.now().plusSeconds(60).toString());

    result(store.deadLetter(again));

    assertThat(result(store.deadLetters(100))).containsExactly(again);
  }

  @Test
  void replaying_a_dead_letter_commits_its_effect_and_removes_the_letter_together() {
    String order = newOrderId();
    StoredEvent event = result(store.commit(startStream(orderPlaced(order)))).get(0);
    DeadLetter letter = letterFor("inventory", event, "boom", 3);
    result(store.deadLetter(letter));
    EventEnvelope reserved = stockReserved(order);

    result(store.commitReplayed("inventory", letter.id(), event, startStream(reserved)
        .and(new DocumentWrite("reservations", order, ExpectedVersion.NONE, new JsonObject()))));

    assertThat(result(store.findDeadLetter(letter.id()))).isEmpty();
    assertThat(result(store.readStream(Streams.of("inventory", order)))).extracting(StoredEvent::id)
        .containsExactly(reserved.id());
    assertThat(allEvents()).extracting(StoredEvent::id).contains(reserved.id());
    assertThat(result(store.document("reservations", order))).isPresent();
    assertThat(result(store.isHandled("inventory", event))).isTrue();
  }

  @Test
  void replaying_a_dead_letter_that_is_gone_fails_and_writes_nothing() {
    String order = newOrderId();
    StoredEvent event = result(store.commit(startStream(orderPlaced(order)))).get(0);
    DeadLetter letter = letterFor("inventory", event, "boom", 3);
    result(store.deadLetter(letter));
    result(store.discardDeadLetter(letter.id())); // discarded by someone else meanwhile

    Throwable failure = failure(store.commitReplayed("inventory", letter.id(), event, startStream(stockReserved(order))
        .and(new DocumentWrite("reservations", order, ExpectedVersion.NONE, new JsonObject()))));

    assertThat(failure).isInstanceOf(DeadLetterGone.class).hasMessageContaining(letter.id());
    assertThat(result(store.readStream(Streams.of("inventory", order)))).isEmpty();
    assertThat(result(store.document("reservations", order))).isEmpty();
  }

  @Test
  void a_replay_whose_work_conflicts_keeps_the_letter_and_writes_nothing() {
    String order = newOrderId();
    StoredEvent event = result(store.commit(startStream(orderPlaced(order)))).get(0);
    DeadLetter letter = letterFor("inventory", event, "boom", 3);
    result(store.deadLetter(letter));

    Throwable failure = failure(store.commitReplayed("inventory", letter.id(), event, startStream(stockReserved(order))
        .and(new DocumentWrite("reservations", order, 4, new JsonObject()))));

    assertThat(failure).isInstanceOf(ConcurrencyConflict.class);
    assertThat(result(store.findDeadLetter(letter.id()))).contains(letter);
    assertThat(result(store.readStream(Streams.of("inventory", order)))).isEmpty();
  }

  @Test
  void a_replay_of_an_event_older_than_one_applied_from_its_stream_is_stale_and_keeps_the_letter() {
    String order = newOrderId();
    List<StoredEvent> stream = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order))));
    DeadLetter letter = letterFor("mailer", stream.get(0), "boom", 3);
    result(store.deadLetter(letter));
    result(store.commitConsumed("mailer", stream.get(1), UnitOfWork.NOTHING));

    Throwable failure = failure(store.commitReplayed("mailer", letter.id(), stream.get(0), UnitOfWork.NOTHING));

    assertThat(failure).isInstanceOf(StaleEvent.class);
    assertThat(result(store.findDeadLetter(letter.id()))).contains(letter);
  }

  // ------------------------------------------------------------------ concurrency

  /**
   * What a read model relies on to move its position to the head when nothing of its types came
   * (so that its lag is honest): a read that comes back short has read up to the head asked for
   * before it, even while commits go on and the node serves reads from memory.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void a_read_of_the_log_that_comes_back_short_has_read_at_least_up_to_the_head_asked_for_before_it()
      throws Exception {
    record Read(long after, long head, List<String> ids) {
    }
    List<StoredEvent> committed = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger writing = new AtomicInteger(4);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<Read> shortReads = new ArrayList<>();
    try {
      for (int w = 0; w < 4; w++) {
        threads.submit(() -> {
          try {
            for (int i = 0; i < 150; i++) {
              String order = newOrderId();
              committed.addAll(result(store.commit(startStream(orderPlaced(order)))));
              committed.addAll(result(store.commit(UnitOfWork.of(append(1, orderConfirmed(order))))));
            }
          } finally {
            writing.decrementAndGet();
          }
          return null;
        });
      }
      long after = 0;
      while (writing.get() > 0) {
        long head = result(store.readModels().head());
        List<StoredEvent> page = result(store.readAll(after, Set.of("OrderConfirmed"), 50));
        if (page.size() < 50) {
          shortReads.add(new Read(after, head, page.stream().map(StoredEvent::id).toList()));
        }
        if (!page.isEmpty()) {
          after = page.get(page.size() - 1).position();
        }
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(shortReads).as("reads that caught up while commits went on").isNotEmpty();
    List<StoredEvent> log = List.copyOf(committed);
    for (Read read : shortReads) {
      List<String> upToTheHead = log.stream()
          .filter(e -> e.type().equals("OrderConfirmed") && e.position() > read.after() && e.position() <= read.head())
          .map(StoredEvent::id).toList();
      assertThat(read.ids()).as("a short read after %d, with the head at %d before it", read.after(), read.head())
          .containsAll(upToTheHead);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void concurrent_writers_to_distinct_streams_all_commit_and_the_log_holds_every_event_in_increasing_positions()
      throws Exception {
    int writers = 8;
    int commitsEach = 200;
    List<String> submittedIds = Collections.synchronizedList(new ArrayList<>());
    List<Future<List<StoredEvent>>> commits = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<?>> submitted = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        submitted.add(threads.submit(() -> {
          go.await();
          for (int i = 0; i < commitsEach; i++) {
            EventEnvelope event = orderPlaced(newOrderId());
            submittedIds.add(event.id());
            commits.add(store.commit(startStream(event)));
          }
          return null;
        }));
      }
      go.countDown();
      for (java.util.concurrent.Future<?> writer : submitted) {
        writer.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    Future.all(List.copyOf(commits)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    Set<Long> committedPositions = new HashSet<>();
    for (Future<List<StoredEvent>> commit : commits) {
      StoredEvent stored = commit.result().get(0);
      assertThat(stored.envelope().sequence()).isEqualTo(1);
      committedPositions.add(stored.position());
    }
    List<StoredEvent> log = result(store.readAll(0, Set.of(), 10_000));
    assertThat(log).hasSize(writers * commitsEach);
    assertStrictlyIncreasing(positions(log));
    assertThat(log).extracting(StoredEvent::id).containsExactlyInAnyOrderElementsOf(submittedIds);
    assertThat(new HashSet<>(positions(log))).isEqualTo(committedPositions);
    // reading it page by page after the last position seen gives the same log, nothing skipped
    List<StoredEvent> paged = new ArrayList<>();
    long after = 0;
    for (List<StoredEvent> page = result(store.readAll(after, Set.of(), 97)); !page.isEmpty();
         page = result(store.readAll(after, Set.of(), 97))) {
      paged.addAll(page);
      after = page.get(page.size() - 1).position();
    }
    assertThat(paged).containsExactlyElementsOf(log);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void of_concurrent_writers_starting_the_same_stream_exactly_one_wins_and_the_others_conflict() throws Exception {
    int writers = 20;
    String order = newOrderId();
    List<Future<List<StoredEvent>>> commits = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<?>> submitted = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        submitted.add(threads.submit(() -> {
          go.await();
          commits.add(store.commit(UnitOfWork.of(append(0, orderPlaced(order)))));
          return null;
        }));
      }
      go.countDown();
      for (java.util.concurrent.Future<?> writer : submitted) {
        writer.get(30, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    // join: wait for every commit, whether it succeeded or failed
    Future.join(List.copyOf(commits)).transform(done -> Future.succeededFuture())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

    List<Future<List<StoredEvent>>> won = commits.stream().filter(Future::succeeded).toList();
    List<Future<List<StoredEvent>>> lost = commits.stream().filter(Future::failed).toList();
    assertThat(won).hasSize(1);
    assertThat(lost).hasSize(writers - 1)
        .allSatisfy(commit -> assertThat(commit.cause()).isInstanceOf(ConcurrencyConflict.class));
    StoredEvent winner = won.get(0).result().get(0);
    assertThat(result(store.readStream(Streams.of("orders", order)))).containsExactly(winner);
    assertThat(allEvents()).containsExactly(winner);
  }

  // ------------------------------------------------------------------ notifications, durability, closing

  @Test
  void a_listener_for_some_types_runs_after_a_commit_that_appended_one_of_them_and_only_then() {
    Context context = vertx.getOrCreateContext();
    AtomicInteger confirmations = new AtomicInteger();
    AtomicInteger everything = new AtomicInteger();
    Await.onContext(context, () -> {
      store.onAppended(Set.of(EventCatalog.ORDER_CONFIRMED.name()), confirmations::incrementAndGet);
      store.onAppended(everything::incrementAndGet);
      return Future.succeededFuture();
    });

    String order = newOrderId();
    result(store.commit(startStream(orderPlaced(order))));
    Await.until("the listener of every type ran", () -> everything.get() == 1);
    result(store.commit(appendAny(orderConfirmed(order))));
    Await.until("the listener of every type ran twice", () -> everything.get() == 2);
    Await.until("the listener of confirmations ran", () -> confirmations.get() == 1);
    Await.onContext(context, () -> Future.succeededFuture()); // let anything queued on the context run

    assertThat(confirmations.get()).as("not woken by the placement").isEqualTo(1);
  }

  @Test
  void listeners_run_on_their_context_after_each_commit_that_appended_events_and_only_then() {
    Context context = vertx.getOrCreateContext();
    AtomicInteger calls = new AtomicInteger();
    List<Context> ranOn = Collections.synchronizedList(new ArrayList<>());
    Await.onContext(context, () -> {
      store.onAppended(() -> {
        ranOn.add(Vertx.currentContext());
        calls.incrementAndGet();
      });
      return Future.succeededFuture();
    });

    String order = newOrderId();
    result(store.commit(startStream(orderPlaced(order))));
    Await.until("the listener ran once", () -> calls.get() == 1);

    result(store.commit(documentOnly(new DocumentWrite("orders", order, ExpectedVersion.NONE, new JsonObject()))));
    failure(store.commit(startStream(orderPlaced(order)))); // a conflict appends nothing
    result(store.commit(appendAny(orderConfirmed(order))));
    Await.until("the listener ran twice", () -> calls.get() >= 2);
    Await.onContext(context, () -> Future.succeededFuture()); // let anything queued on the context run

    assertThat(calls.get()).isEqualTo(2);
    assertThat(ranOn).containsOnly(context);
  }

  @Test
  void reopening_the_store_keeps_events_documents_inboxes_checkpoints_and_dead_letters() {
    String order = newOrderId();
    List<StoredEvent> events = result(store.commit(startStream(orderPlaced(order), orderConfirmed(order),
        orderCancelled(order, "x"))));
    writeDocument(new DocumentWrite("orders", order, ExpectedVersion.NONE, new JsonObject().put("status", "PENDING")));
    result(store.commitConsumed("projector", events.get(0), UnitOfWork.NOTHING));
    result(store.saveCheckpoint("projector", events.get(0).position()));
    DeadLetter letter = letterFor("mailer", events.get(1), "boom", 2);
    result(store.deadLetter(letter));
    Document document = result(store.document("orders", order)).orElseThrow();

    result(store.close());
    store = result(openStore(vertx));

    assertThat(allEvents()).containsExactlyElementsOf(events);
    assertThat(result(store.readStream(Streams.of("orders", order)))).containsExactlyElementsOf(events);
    assertThat(result(store.document("orders", order))).contains(document);
    assertThat(result(store.isHandled("projector", events.get(0)))).isTrue();
    assertThat(result(store.checkpoint("projector"))).isEqualTo(events.get(0).position());
    assertThat(result(store.findDeadLetter(letter.id()))).contains(letter);
    assertThat(result(store.isHandled("mailer", events.get(1)))).isTrue();
    assertThat(result(store.commitConsumed("projector", events.get(0), UnitOfWork.NOTHING)))
        .isEqualTo(ConsumeOutcome.DUPLICATE);
    // the stream goes on where it stopped, after every position already used
    assertThat(failure(store.commit(startStream(orderPlaced(order))))).isInstanceOf(ConcurrencyConflict.class);
    StoredEvent next = result(store.commit(UnitOfWork.of(append(3, orderConfirmed(order))))).get(0);
    assertThat(next.envelope().sequence()).isEqualTo(4);
    assertThat(next.position()).isGreaterThan(events.get(2).position());
  }

  @Test
  void closing_finishes_the_writes_already_asked_for_and_refuses_later_calls() {
    // many quick writes asked for at once, so that some still wait in line when the store is closed
    int asked = 2_000;
    List<Future<?>> pending = new ArrayList<>();
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < asked; i++) {
      String order = newOrderId();
      orders.add(order);
      UnitOfWork work = documentOnly(new DocumentWrite("orders", order, ExpectedVersion.NONE, new JsonObject()));
      pending.add(store.commit(i % 10 == 0 ? work.and(newStream(orderPlaced(order))) : work));
    }

    result(store.close());

    result(Future.all(pending)); // every one of them succeeded
    assertThat(failure(store.commit(startStream(orderPlaced(newOrderId()))))).isInstanceOf(StoreUnavailable.class);
    assertThat(failure(store.readAll(0, Set.of(), 10))).isInstanceOf(StoreUnavailable.class);
    assertThat(failure(store.ping())).isInstanceOf(StoreUnavailable.class);

    store = result(openStore(vertx));
    assertThat(allEvents()).hasSize(asked / 10);
    List<Future<Optional<Document>>> documents = orders.stream().map(order -> store.document("orders", order)).toList();
    result(Future.all(documents));
    assertThat(documents).allSatisfy(document -> assertThat(document.result()).isPresent());
  }

  @Test
  void an_open_store_answers_a_ping() {
    result(store.ping());
  }

  // ------------------------------------------------------------------ helpers

  protected List<StoredEvent> allEvents() {
    return result(store.readAll(0, Set.of(), 100_000));
  }

  protected void writeDocument(DocumentWrite write) {
    assertThat(result(store.commit(documentOnly(write)))).isEmpty();
  }

  protected static UnitOfWork documentOnly(DocumentWrite write) {
    return UnitOfWork.NOTHING.and(write);
  }

  /** The event as a broker delivers it: not read from the log, so with no position. */
  protected static StoredEvent asFromABroker(StoredEvent event) {
    return new StoredEvent(0, event.envelope());
  }

  protected static DeadLetter letterFor(String consumer, StoredEvent event, String reason, int attempts) {
    return new DeadLetter(UUID.randomUUID().toString(), consumer, event.id(), event.position(), reason, attempts,
        event.envelope().toJson(), Instant.now().toString());
  }

  protected static List<Long> positions(List<StoredEvent> events) {
    return events.stream().map(StoredEvent::position).toList();
  }

  protected static void assertStrictlyIncreasing(List<Long> positions) {
    for (int i = 1; i < positions.size(); i++) {
      assertThat(positions.get(i)).as("position %d of the list", i).isGreaterThan(positions.get(i - 1));
    }
  }
}
