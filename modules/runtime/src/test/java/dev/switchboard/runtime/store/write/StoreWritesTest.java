package dev.switchboard.runtime.store.write;

import dev.switchboard.runtime.store.AppendListeners;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DeadLetterGone;
import dev.switchboard.runtime.store.StaleEvent;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.stockReserved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write path both stores share, against statements that answer only when told to (as
 * PostgreSQL's, pipelined, do): what each write sends before it looks at any answer, in which order,
 * and what it makes of the answers. The store kit proves the same writes against both real stores.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoreWritesTest {

  private final String orderId = newOrderId();
  private final StoredEvent placed = new StoredEvent(7, orderPlaced(orderId).withSequence(1));
  private final StoredEvent fromABroker = new StoredEvent(0, orderConfirmed(orderId).withSequence(2));
  private final UnitOfWork reservation = UnitOfWork.of(new StreamAppend("inventory/" + orderId, 0,
      List.of(stockReserved(orderId))));
  private final Recorder statements = new Recorder();
  private final List<List<StoredEvent>> committed = new ArrayList<>();
  private final StoreWrites writes;

  StoreWritesTest() {
    AppendListeners listeners = new AppendListeners();
    listeners.observe(committed::add);
    // a writer as the stores' are: a write that undid itself succeeds with its value, keeping nothing
    StoreWrites.Writer writer = new StoreWrites.Writer() {
      @Override
      public <T> Future<T> write(UnitOfWork work, Function<WriteStatements, Future<T>> run) {
        return run.apply(statements).recover(failure -> failure instanceof Undone undone
            ? Future.succeededFuture(cast(undone.value())) : Future.failedFuture(failure));
      }
    };
    writes = new StoreWrites(TestStores.schemas(), writer, listeners);
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }

  @Test
  void a_consumers_commit_sends_its_marks_and_its_effect_before_any_answer_and_stands_if_the_event_is_fresh() {
    Future<ConsumeOutcome> outcome = writes.commitConsumed("inventory", placed, reservation);

    assertThat(statements.sent).containsExactly("mark inventory " + placed.id(), "apply 1 appends");
    statements.answerMarks(Set.of(), Set.of(placed.id()));
    statements.answerApply();

    assertThat(outcome.result()).isEqualTo(ConsumeOutcome.APPLIED);
    assertThat(committed).as("the appended events reach the listeners").hasSize(1);
  }

  @Test
  void a_duplicate_is_undone_and_tells_no_listener() {
    Future<ConsumeOutcome> outcome = writes.commitConsumed("inventory", placed, reservation);
    statements.answerMarks(Set.of(), Set.of());
    statements.answerApply();

    assertThat(outcome.result()).isEqualTo(ConsumeOutcome.DUPLICATE);
    assertThat(committed).as("nothing appended is announced").isEmpty();
  }

  @Test
  void a_stale_event_from_a_broker_fails_saying_how_far_the_consumer_applied_its_stream() {
    Future<ConsumeOutcome> outcome = writes.commitConsumed("payments", fromABroker, reservation);
    statements.answerMarks(Set.of(fromABroker.id()), Set.of());
    statements.answerApply();

    assertThat(statements.sent).last().isEqualTo("place payments " + fromABroker.streamId());
    statements.answerPlace(4);
    assertThat(outcome.cause()).isInstanceOf(StaleEvent.class).hasMessageContaining("up to sequence 4");
    assertThat(committed).isEmpty();
  }

  @Test
  void a_batch_with_an_event_handled_before_fails_as_a_whole() {
    StoredEvent other = new StoredEvent(8, orderPlaced(newOrderId()).withSequence(1));
    Future<Void> batch = writes.commitConsumedTogether("inventory", List.of(placed, other), reservation);

    assertThat(statements.sent).containsExactly("mark inventory " + placed.id() + "," + other.id(), "apply 1 appends");
    statements.answerMarks(Set.of(), Set.of(other.id()));
    statements.answerApply();

    assertThat(batch.cause()).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining(placed.id());
    assertThat(committed).isEmpty();
  }

  @Test
  void a_replay_sends_the_letters_removal_its_place_in_the_stream_and_its_effect_together() {
    Future<Void> replayed = writes.commitReplayed("inventory", "letter-1", placed, reservation);

    assertThat(statements.sent).containsExactly("delete letter-1", "replay inventory " + placed.streamId(),
        "apply 1 appends");
    statements.deleted.complete(false);

    assertThat(replayed.cause()).isInstanceOf(DeadLetterGone.class);
  }

  @Test
  void a_checkpoint_before_any_event_of_the_log_writes_nothing() {
    assertThat(writes.saveCheckpoint("orders", 0).succeeded()).isTrue();
    assertThat(statements.sent).isEmpty();
    writes.saveCheckpoint("orders", 12);
    assertThat(statements.sent).containsExactly("checkpoint orders 12");
  }

  @Test
  void a_dead_letter_of_the_log_is_marked_by_its_stream_and_one_from_a_broker_by_the_inbox_sent_before_any_answer() {
    DeadLetter ofTheLog = new DeadLetter("letter-1", "mailer", placed.id(), placed.position(), "boom", 5,
        placed.envelope().toJson(), "2026-12-07T10:00:00Z");
    DeadLetter fromTheBroker = new DeadLetter("letter-2", "mailer", fromABroker.id(), 0, "boom", 5,
        fromABroker.envelope().toJson(), "2026-12-07T10:00:00Z");

    assertThat(writes.deadLetter(ofTheLog).succeeded()).isTrue();
    assertThat(writes.deadLetter(fromTheBroker).succeeded()).isTrue();

    assertThat(statements.sent).containsExactly(
        "advance mailer orders/" + orderId + " to 1", "reach mailer 7", "keep letter letter-1",
        "enter mailer " + fromABroker.id(), "keep letter letter-2");
  }

  @Test
  void forgetting_inbox_entries_sends_one_bounded_statement_and_refuses_a_limit_below_one() {
    Instant before = Instant.parse("2026-12-01T00:00:00Z");

    assertThat(writes.forgetInboxEntriesBefore(before, 500).succeeded()).isTrue();

    assertThat(statements.sent).containsExactly("forget 500 before 2026-12-01T00:00:00Z");
    assertThatThrownBy(() -> writes.forgetInboxEntriesBefore(before, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forgetting_expired_documents_sends_one_bounded_statement_and_refuses_a_limit_below_one() {
    Instant now = Instant.parse("2026-12-07T00:00:00Z");

    assertThat(writes.forgetExpiredDocuments(now, 500).succeeded()).isTrue();

    assertThat(statements.sent).containsExactly("forget 500 documents expired at 2026-12-07T00:00:00Z");
    assertThatThrownBy(() -> writes.forgetExpiredDocuments(now, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Records what is sent; answers when the test says. */
  private final class Recorder implements WriteStatements {
    final List<String> sent = new ArrayList<>();
    final Promise<Marks> marks = Promise.promise();
    final Promise<List<StoredEvent>> applied = Promise.promise();
    final Promise<Long> place = Promise.promise();
    final Promise<Boolean> deleted = Promise.promise();

    void answerMarks(Set<String> entered, Set<String> advanced) {
      marks.complete(new Marks(entered, advanced));
    }

    void answerApply() {
      applied.complete(List.of(new StoredEvent(9, stockReserved(orderId).withSequence(1))));
    }

    void answerPlace(long sequence) {
      place.complete(sequence);
    }

    @Override
    public Future<Marks> mark(String consumer, List<StoredEvent> events) {
      sent.add("mark " + consumer + " " + String.join(",", events.stream().map(StoredEvent::id).toList()));
      return marks.future();
    }

    @Override
    public Future<Long> placeInStream(String consumer, String streamId) {
      sent.add("place " + consumer + " " + streamId);
      return place.future();
    }

    @Override
    public Future<Boolean> replayInStream(String consumer, StoredEvent event) {
      sent.add("replay " + consumer + " " + event.streamId());
      return Future.succeededFuture(true);
    }

    @Override
    public Future<List<StoredEvent>> apply(UnitOfWork work) {
      sent.add("apply " + work.appends().size() + " appends");
      return applied.future();
    }

    @Override
    public Future<Void> keepDeadLetter(DeadLetter letter) {
      sent.add("keep letter " + letter.id());
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> advanceInStream(String consumer, String streamId, long sequence) {
      sent.add("advance " + consumer + " " + streamId + " to " + sequence);
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Boolean> enterInInbox(String consumer, String eventId) {
      sent.add("enter " + consumer + " " + eventId);
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Void> raiseReach(String consumer, long position) {
      sent.add("reach " + consumer + " " + position);
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> deleteDeadLetter(String id) {
      sent.add("delete " + id);
      return deleted.future();
    }

    @Override
    public Future<Void> raiseCheckpoint(String consumer, long position) {
      sent.add("checkpoint " + consumer + " " + position);
      return Future.succeededFuture();
    }

    @Override
    public Future<Integer> forgetInboxEntries(Instant before, int limit) {
      sent.add("forget " + limit + " before " + before);
      return Future.succeededFuture(0);
    }

    @Override
    public Future<Integer> forgetExpiredDocuments(Instant now, int limit) {
      sent.add("forget " + limit + " documents expired at " + now);
      return Future.succeededFuture(0);
    }
  }
}
