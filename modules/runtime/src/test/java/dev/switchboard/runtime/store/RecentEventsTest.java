package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventEnvelope;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/** The node's feed of committed events answers a read only when the store would answer it the same. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecentEventsTest {

  private static final Set<String> PLACED = Set.of("OrderPlaced");

  private final RecentEvents recent = new RecentEvents();

  @Test
  void it_serves_the_events_after_a_held_position_of_the_types_asked_up_to_the_limit() {
    recent.add(List.of(placed(1), confirmed(2), placed(3), placed(4)));

    assertThat(recent.after(0, PLACED, 2)).hasValueSatisfying(found ->
        assertThat(found).extracting(StoredEvent::position).containsExactly(1L, 3L));
    assertThat(recent.after(1, Set.of(), 10)).hasValueSatisfying(found ->
        assertThat(found).extracting(StoredEvent::position).containsExactly(2L, 3L, 4L));
    assertThat(recent.after(3, Set.of("OrderConfirmed"), 10)).as("none of its types up to the head")
        .hasValue(List.of());
    assertThat(recent.after(4, PLACED, 10)).as("nothing after the newest held: the store says").isEmpty();
  }

  @Test
  void a_reader_whose_next_position_is_not_held_reads_the_store() {
    recent.add(List.of(placed(5), placed(6)));

    assertThat(recent.after(3, PLACED, 10)).as("position 4 is not held").isEmpty();
    assertThat(recent.after(0, Set.of(), 10)).isEmpty();
  }

  @Test
  void a_hole_in_the_positions_sends_the_reader_to_the_store_unless_the_limit_is_reached_before_it() {
    // position 3 rolled back (or belongs to another node): only the store can say what follows 2
    recent.add(List.of(placed(1), placed(2), placed(4)));

    assertThat(recent.after(0, PLACED, 2)).hasValueSatisfying(found ->
        assertThat(found).extracting(StoredEvent::position).containsExactly(1L, 2L));
    assertThat(recent.after(0, PLACED, 3)).isEmpty();
    assertThat(recent.after(1, Set.of("OrderConfirmed"), 10)).isEmpty();
  }

  @Test
  void commits_arriving_out_of_order_are_served_once_the_run_is_whole() {
    recent.add(List.of(placed(1)));
    recent.add(List.of(placed(3)));

    assertThat(recent.after(1, PLACED, 10)).isEmpty();
    recent.add(List.of(placed(2)));
    assertThat(recent.after(1, PLACED, 10)).hasValueSatisfying(found ->
        assertThat(found).extracting(StoredEvent::position).containsExactly(2L, 3L));
  }

  @Test
  void once_another_node_appends_the_newest_held_event_is_no_longer_taken_for_the_head() {
    recent.add(List.of(placed(1), confirmed(2)));
    recent.othersAppend();

    assertThat(recent.after(0, PLACED, 1)).as("the limit is reached within the run").isPresent();
    assertThat(recent.after(0, PLACED, 10)).as("what lies beyond is the store's to say").isEmpty();
  }

  @Test
  void it_holds_the_newest_events_only() {
    List<StoredEvent> many = new ArrayList<>();
    for (long position = 1; position <= RecentEvents.CAPACITY + 10; position++) {
      many.add(placed(position));
    }
    recent.add(many);

    assertThat(recent.after(5, PLACED, 1)).as("dropped for room").isEmpty();
    assertThat(recent.after(RecentEvents.CAPACITY + 5, PLACED, 10)).hasValueSatisfying(found ->
        assertThat(found).hasSize(5));
  }

  @Test
  void a_read_that_would_look_through_too_many_events_of_other_types_uses_the_store() {
    List<StoredEvent> others = new ArrayList<>();
    for (long position = 1; position <= RecentEvents.MAX_SCAN + 1; position++) {
      others.add(confirmed(position));
    }
    recent.add(others);

    assertThat(recent.after(0, PLACED, 10)).isEmpty();
  }

  private static StoredEvent placed(long position) {
    return new StoredEvent(position, orderPlaced(newOrderId()));
  }

  private static StoredEvent confirmed(long position) {
    EventEnvelope confirmed = orderConfirmed(newOrderId());
    return new StoredEvent(position, confirmed);
  }
}
