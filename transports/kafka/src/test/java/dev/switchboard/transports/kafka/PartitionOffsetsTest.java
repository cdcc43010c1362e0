package dev.switchboard.transports.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The offset a consumer group resumes from never passes a record that was not handled. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PartitionOffsetsTest {

  private static final TopicPartition ORDERS_0 = new TopicPartition("switchboard.orders", 0);
  private static final TopicPartition ORDERS_1 = new TopicPartition("switchboard.orders", 1);

  @Test
  void nothing_received_gives_nothing_to_commit() {
    PartitionOffsets offsets = new PartitionOffsets();

    assertThat(offsets.position()).isEmpty();
    assertThat(offsets.positionToCommit()).isEmpty();
  }

  @Test
  void the_position_stops_at_the_first_record_not_handled_even_when_later_ones_are() {
    PartitionOffsets offsets = received(10, 11, 12, 13);

    offsets.handled(10);
    offsets.handled(12);
    offsets.handled(13);

    assertThat(offsets.position()).hasValue(11);
  }

  @Test
  void when_every_record_is_handled_the_position_is_after_the_highest() {
    PartitionOffsets offsets = received(10, 11, 12);

    offsets.handled(12);
    offsets.handled(10);
    offsets.handled(11);

    assertThat(offsets.position()).hasValue(13);
  }

  @Test
  void gaps_in_the_offsets_such_as_transaction_markers_do_not_hold_the_position_back() {
    PartitionOffsets offsets = received(10, 12, 15);

    offsets.handled(10);
    offsets.handled(12);
    assertThat(offsets.position()).hasValue(15);

    offsets.handled(15);
    assertThat(offsets.position()).hasValue(16);
  }

  @Test
  void a_record_never_handled_holds_the_position_for_good() {
    PartitionOffsets offsets = received(10, 11, 12);

    offsets.handled(11);
    offsets.handled(12);
    offsets.received(13);
    offsets.handled(13);

    assertThat(offsets.position()).hasValue(10);
  }

  @Test
  void a_position_is_due_for_commit_only_when_it_moved_past_the_last_commit() {
    PartitionOffsets offsets = received(10, 11);
    offsets.handled(10);
    assertThat(offsets.positionToCommit()).hasValue(11);

    offsets.committed(11);
    assertThat(offsets.positionToCommit()).isEmpty();

    offsets.handled(11);
    assertThat(offsets.positionToCommit()).hasValue(12);
  }

  @Test
  void an_assignment_commits_only_the_partitions_that_moved_and_a_revoked_one_a_last_time() {
    Assignment assignment = new Assignment();
    assignment.assign(List.of(ORDERS_0, ORDERS_1));
    PartitionOffsets first = assignment.of(ORDERS_0).orElseThrow();
    first.received(5);
    first.handled(5);
    PartitionOffsets second = assignment.of(ORDERS_1).orElseThrow();
    second.received(7);

    assertThat(assignment.toCommit()).containsExactlyInAnyOrderEntriesOf(Map.of(
        ORDERS_0, new OffsetAndMetadata(6), ORDERS_1, new OffsetAndMetadata(7)));
    assignment.committed(Map.of(ORDERS_0, new OffsetAndMetadata(6)));
    assertThat(assignment.toCommit()).containsOnlyKeys(ORDERS_1);

    assertThat(assignment.revoke(List.of(ORDERS_1))).containsExactlyEntriesOf(Map.of(ORDERS_1, new OffsetAndMetadata(7)));
    assertThat(second.isRevoked()).isTrue();
    assertThat(assignment.partitions()).containsExactly(ORDERS_0);
    assertThat(assignment.toCommit()).isEmpty();
  }

  @Test
  void a_partition_assigned_again_starts_fresh_and_the_old_tracking_no_longer_counts() {
    Assignment assignment = new Assignment();
    assignment.assign(List.of(ORDERS_0));
    PartitionOffsets before = assignment.of(ORDERS_0).orElseThrow();
    before.received(3);
    assignment.revoke(List.of(ORDERS_0));

    assignment.assign(List.of(ORDERS_0));
    before.handled(3);

    assertThat(assignment.of(ORDERS_0).orElseThrow()).isNotSameAs(before);
    assertThat(assignment.toCommit()).isEmpty();
  }

  private static PartitionOffsets received(long... offsets) {
    PartitionOffsets tracked = new PartitionOffsets();
    for (long offset : offsets) {
      tracked.received(offset);
    }
    return tracked;
  }
}
