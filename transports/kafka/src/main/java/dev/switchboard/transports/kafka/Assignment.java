package dev.switchboard.transports.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The partitions a consumer holds now, each with its {@link PartitionOffsets}, and the offsets to
 * commit for them. Not thread-safe: used from the consumer's context.
 */
final class Assignment {

  private final Map<TopicPartition, PartitionOffsets> partitions = new HashMap<>();

  /** Fresh tracking for newly assigned partitions (the group's committed offsets say where they start). */
  void assign(Collection<TopicPartition> assigned) {
    assigned.forEach(partition -> partitions.put(partition, new PartitionOffsets()));
  }

  /**
   * Stops tracking partitions given to another consumer.
   *
   * @return their positions, to commit a last time so the new owner starts as late as it safely can
   */
  Map<TopicPartition, OffsetAndMetadata> revoke(Collection<TopicPartition> revoked) {
    Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>();
    for (TopicPartition partition : revoked) {
      PartitionOffsets offsets = partitions.remove(partition);
      if (offsets != null) {
        offsets.revoke();
        offsets.position().ifPresent(position -> last.put(partition, new OffsetAndMetadata(position)));
      }
    }
    return last;
  }

  Optional<PartitionOffsets> of(TopicPartition partition) {
    return Optional.ofNullable(partitions.get(partition));
  }

  Set<TopicPartition> partitions() {
    return Set.copyOf(partitions.keySet());
  }

  /** The positions that moved since they were last committed. */
  Map<TopicPartition, OffsetAndMetadata> toCommit() {
    Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
    partitions.forEach((partition, offsets) -> offsets.positionToCommit()
        .ifPresent(position -> due.put(partition, new OffsetAndMetadata(position))));
    return due;
  }

  /** Notes positions as committed, for the partitions still held. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> of(partition).ifPresent(tracked -> tracked.committed(offset.offset())));
  }
}
