package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventEnvelope;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecentEventsTest {

  private static StoredEvent event(long position, String type) {
    return new StoredEvent(position, new EventEnvelope("e-" + position, type, "test", "order-" + position,
        "2026-12-06T00:00:00Z", null, 1, 1, null, null, new JsonObject()));
  }

  /** Events at positions {@code from} to {@code to}, of type A at even positions and B at odd ones. */
  private static List<StoredEvent> events(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(p -> event(p, p % 2 == 0 ? "A" : "B")).toList();
  }

  private static List<Long> positions(List<StoredEvent> events) {
    return events.stream().map(StoredEvent::position).toList();
  }

  @Test
  void a_reader_inside_the_run_gets_the_events_after_it_of_its_types_up_to_its_limit() {
    RecentEvents feed = new RecentEvents(100, false);
    feed.committed(events(11, 20));

    assertThat(positions(feed.after(10, Set.of(), 100))).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L);
    assertThat(positions(feed.after(13, Set.of("A"), 100))).containsExactly(14L, 16L, 18L, 20L);
    assertThat(positions(feed.after(13, Set.of("A", "B"), 3))).containsExactly(14L, 15L, 16L);
    assertThat(feed.after(19, Set.of("B"), 100)).isEmpty(); // nothing of its types up to 20, and 20 is known
  }

  @Test
  void a_reader_behind_the_run_or_at_its_end_reads_the_database() {
    RecentEvents feed = new RecentEvents(100, false);
    assertThat(feed.after(0, Set.of(), 10)).isNull(); // nothing committed here yet

    feed.committed(events(11, 20));

    assertThat(feed.after(9, Set.of(), 10)).isNull(); // 10 is not in the feed
    assertThat(feed.after(20, Set.of(), 10)).isNull(); // another node may have committed after 20
    assertThat(feed.after(25, Set.of(), 10)).isNull();
  }

  @Test
  void a_reader_at_the_end_is_told_there_is_nothing_newer_when_the_feed_has_every_commit_of_the_log() {
    RecentEvents feed = new RecentEvents(100, true);
    assertThat(feed.after(0, Set.of(), 10)).isNull(); // what was committed before the feed began is not in it

    feed.committed(events(11, 20));

    assertThat(feed.after(20, Set.of(), 10)).isEmpty();
    assertThat(feed.after(21, Set.of(), 10)).isNull();
    assertThat(feed.after(9, Set.of(), 10)).isNull();
  }

  @Test
  void a_commit_that_does_not_follow_on_starts_the_run_again_so_that_no_position_is_skipped() {
    RecentEvents feed = new RecentEvents(100, false);
    feed.committed(events(11, 20));
    feed.committed(events(24, 26)); // 21 to 23: another node's, or drawn by a transaction rolled back

    assertThat(feed.after(15, Set.of(), 10)).isNull();
    assertThat(feed.after(20, Set.of(), 10)).isNull();
    assertThat(positions(feed.after(23, Set.of(), 10))).containsExactly(24L, 25L, 26L);
    assertThat(positions(feed.after(24, Set.of(), 10))).containsExactly(25L, 26L);
  }

  @Test
  void the_events_of_one_transaction_may_come_in_any_order() {
    RecentEvents feed = new RecentEvents(100, false);
    feed.committed(List.of(event(3, "A"), event(1, "A"), event(2, "B")));

    assertThat(positions(feed.after(0, Set.of(), 10))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void a_newer_commit_heard_of_elsewhere_sends_readers_to_the_database_until_the_feed_has_caught_up() {
    RecentEvents feed = new RecentEvents(100, false);
    feed.committed(events(1, 10));

    feed.heardOf(8); // older than what the feed holds: it still answers
    assertThat(positions(feed.after(8, Set.of(), 10))).containsExactly(9L, 10L);

    feed.heardOf(12);
    assertThat(feed.after(5, Set.of(), 10)).isNull();

    feed.committed(events(13, 14));
    assertThat(feed.after(12, Set.of(), 10)).hasSize(2);
  }

  @Test
  void forgetting_sends_every_reader_to_the_database() {
    RecentEvents feed = new RecentEvents(100, false);
    feed.committed(events(1, 10));

    feed.forget();

    assertThat(feed.after(5, Set.of(), 10)).isNull();
  }

  @Test
  void it_keeps_the_newest_events_up_to_its_capacity() {
    RecentEvents feed = new RecentEvents(5, false);
    feed.committed(events(1, 4));
    feed.committed(events(5, 8));

    assertThat(feed.after(2, Set.of(), 10)).isNull(); // 3 went
    assertThat(positions(feed.after(3, Set.of(), 10))).containsExactly(4L, 5L, 6L, 7L, 8L);
  }

  @Test
  void events_of_several_types_come_in_position_order_and_the_index_by_type_forgets_what_left_the_feed() {
    RecentEvents feed = new RecentEvents(300, false);
    List<StoredEvent> committed = LongStream.rangeClosed(1, 1_000)
        .mapToObj(p -> event(p, p % 7 == 0 ? "rare" : p % 3 == 0 ? "C" : p % 2 == 0 ? "A" : "B")).toList();
    for (int from = 0; from < committed.size(); from += 10) {
      feed.committed(committed.subList(from, from + 10));
    }

    assertThat(feed.after(699, Set.of("A"), 10)).isNull(); // 700 left the feed
    assertThat(positions(feed.after(700, Set.of("A"), 3))).containsExactly(704L, 706L, 710L);
    List<StoredEvent> expected = committed.stream()
        .filter(e -> e.position() > 800 && Set.of("rare", "C").contains(e.type())).limit(40).toList();
    assertThat(feed.after(800, Set.of("rare", "C"), 40)).containsExactlyElementsOf(expected);
    assertThat(positions(feed.after(990, Set.of("rare"), 10))).containsExactly(994L);
    assertThat(feed.after(995, Set.of("rare", "unknown"), 10)).isEmpty();
  }

  /** The event at {@code position}, the {@code sequence}th of the order's stream ({@code orders/<order>}). */
  private static StoredEvent ofOrder(long position, String order, long sequence) {
    return new StoredEvent(position, new EventEnvelope("e-" + position, "OrderEvent", "/orders", order,
        "2026-12-06T00:00:00Z", null, 1, sequence, null, null, new JsonObject()));
  }

  @Test
  void a_stream_whose_first_event_is_in_the_feed_is_answered_whole_when_the_feed_knows_the_log_s_end() {
    RecentEvents feed = new RecentEvents(100, true);
    feed.committed(List.of(ofOrder(1, "a", 1), ofOrder(2, "b", 1)));
    feed.committed(List.of(ofOrder(3, "a", 2)));
    feed.committed(List.of(ofOrder(4, "b", 2), ofOrder(5, "a", 3)));

    assertThat(positions(feed.stream("orders/a"))).containsExactly(1L, 3L, 5L);
    assertThat(positions(feed.stream("orders/b"))).containsExactly(2L, 4L);
    assertThat(feed.stream("orders/c")).as("not begun, or begun before the feed: the database tells").isNull();
    assertThat(feed.servedReads()).isEqualTo(2);
  }

  @Test
  void a_stream_begun_before_the_feed_or_whose_first_event_left_it_is_read_from_the_database() {
    RecentEvents feed = new RecentEvents(3, true);
    feed.committed(List.of(ofOrder(1, "a", 1), ofOrder(2, "b", 1)));
    feed.committed(List.of(ofOrder(3, "b", 2), ofOrder(4, "c", 5)));

    assertThat(feed.stream("orders/a")).as("its first event left").isNull();
    assertThat(positions(feed.stream("orders/b"))).containsExactly(2L, 3L);
    assertThat(feed.stream("orders/c")).as("begun before the feed").isNull();

    feed.committed(List.of(ofOrder(5, "b", 3)));
    assertThat(feed.stream("orders/b")).as("its first event left").isNull();
  }

  @Test
  void streams_are_answered_only_by_a_feed_that_knows_the_log_s_end_and_not_across_a_new_run() {
    RecentEvents shared = new RecentEvents(100, false);
    shared.committed(List.of(ofOrder(1, "a", 1)));
    assertThat(shared.stream("orders/a")).as("other nodes may have appended to it").isNull();

    RecentEvents sole = new RecentEvents(100, true);
    sole.committed(List.of(ofOrder(1, "a", 1)));
    sole.forget();
    assertThat(sole.stream("orders/a")).isNull();
  }

  @Test
  void with_no_capacity_every_read_goes_to_the_database() {
    RecentEvents feed = new RecentEvents(0, false);
    feed.committed(events(1, 4));

    assertThat(feed.after(1, Set.of(), 10)).isNull();
    assertThat(feed.stream("test/order-1")).isNull();
  }
}
