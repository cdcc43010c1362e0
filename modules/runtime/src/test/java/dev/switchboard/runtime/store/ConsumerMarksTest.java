package dev.switchboard.runtime.store;

import dev.switchboard.runtime.store.ConsumerMarks.Verdict;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rule both stores follow to tell an event handled now from one handled before or one out of
 * order, from the answers to the marks a consumer's commit writes. The store kit proves that each
 * store writes the marks; this proves what the answers mean, case by case.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerMarksTest {

  private final String orderId = newOrderId();
  private final StoredEvent ofTheLog = new StoredEvent(41, orderPlaced(orderId).withSequence(1));
  private final StoredEvent fromABroker = new StoredEvent(0, orderConfirmed(orderId).withSequence(2));
  private final StoredEvent foreign = new StoredEvent(0, orderPlaced(newOrderId()).withSequence(0));

  @Test
  void an_event_of_the_log_is_marked_by_its_place_in_its_stream_alone() {
    assertThat(ConsumerMarks.needsInboxEntry(ofTheLog)).isFalse();
    assertThat(ConsumerMarks.judge(ofTheLog, false, true)).isEqualTo(Verdict.FRESH);
    assertThat(ConsumerMarks.judge(ofTheLog, false, false)).as("the consumer is at its sequence or beyond")
        .isEqualTo(Verdict.DUPLICATE);
  }

  @Test
  void an_event_from_a_broker_is_entered_in_the_inbox_and_may_come_after_a_later_one_of_its_stream() {
    assertThat(ConsumerMarks.needsInboxEntry(fromABroker)).isTrue();
    assertThat(ConsumerMarks.judge(fromABroker, true, true)).isEqualTo(Verdict.FRESH);
    assertThat(ConsumerMarks.judge(fromABroker, false, false)).isEqualTo(Verdict.DUPLICATE);
    assertThat(ConsumerMarks.judge(fromABroker, false, true)).as("the inbox decides, whatever the stream says")
        .isEqualTo(Verdict.DUPLICATE);
    assertThat(ConsumerMarks.judge(fromABroker, true, false)).as("new, but a later event of its stream was applied")
        .isEqualTo(Verdict.STALE);
  }

  @Test
  void an_event_without_a_sequence_has_no_place_in_a_stream_to_be_out_of() {
    assertThat(ConsumerMarks.movesItsStream(foreign)).isFalse();
    assertThat(ConsumerMarks.judge(foreign, true, false)).isEqualTo(Verdict.FRESH);
    assertThat(ConsumerMarks.judge(foreign, false, false)).isEqualTo(Verdict.DUPLICATE);
    assertThat(ConsumerMarks.judgeReplay(foreign, false)).isEqualTo(Verdict.FRESH);
  }

  @Test
  void a_batch_is_refused_naming_every_event_handled_before_and_else_its_first_stale_event_is_found() {
    StoredEvent alsoOfTheLog = new StoredEvent(42, orderPlaced(newOrderId()).withSequence(1));
    List<StoredEvent> batch = List.of(ofTheLog, alsoOfTheLog, fromABroker);

    assertThatThrownBy(() -> ConsumerMarks.judgeTogether("inventory", batch,
        event -> true, event -> event != ofTheLog && event != alsoOfTheLog))
        .isInstanceOf(ConcurrencyConflict.class)
        .hasMessage("inventory handled events " + List.of(ofTheLog.id(), alsoOfTheLog.id()) + " before");

    assertThat(ConsumerMarks.judgeTogether("inventory", batch, event -> true, event -> event != fromABroker))
        .contains(fromABroker);
    assertThat(ConsumerMarks.judgeTogether("inventory", batch, event -> true, event -> true)).isEmpty();
  }

  @Test
  void a_replayed_dead_letter_may_find_its_own_place_marked_but_not_a_later_one() {
    assertThat(ConsumerMarks.judgeReplay(ofTheLog, true)).isEqualTo(Verdict.FRESH);
    assertThat(ConsumerMarks.judgeReplay(ofTheLog, false)).isEqualTo(Verdict.STALE);
  }

  @Test
  void a_stale_event_is_refused_saying_how_far_the_consumer_applied_its_stream() {
    assertThat(ConsumerMarks.stale("payments", fromABroker, 5)).hasMessage("payments already applied "
        + fromABroker.streamId() + " up to sequence 5; OrderConfirmed at sequence 2 arrived out of order");
    assertThat(ConsumerMarks.handledBefore("payments", List.of("e-1"))).hasMessage("payments handled event e-1 before");
  }
}
