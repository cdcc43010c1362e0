package dev.switchboard.transports.kafka;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Which records of one assigned partition are handled, and so the offset the consumer group may
 * resume from: the lowest offset received and not yet handled, or, when all are handled, the one
 * after the highest received. Committing that, and never a bare {@code commit()} of what was
 * fetched, is what makes a crash redeliver rather than skip (DESIGN §7).
 *
 * <p>Offsets of a partition need not be consecutive (compaction, transaction markers): only the
 * offsets actually received count. One instance lives as long as one assignment of the partition;
 * records still in hand when it is revoked finish against their own, discarded instance. Not
 * thread-safe (but for {@link #isRevoked()}): used from the consumer's context.
 */
final class PartitionOffsets {

  private final TreeSet<Long> unfinished = new TreeSet<>();
  private long afterHighestReceived = -1;
  private long committed = -1;
  /** Read by {@link KafkaArrival#held()} from whichever thread asks. */
  private volatile boolean revoked;

  /** A record was fetched; until {@link #handled(long)} it holds the position back. */
  void received(long offset) {
    unfinished.add(offset);
    afterHighestReceived = Math.max(afterHighestReceived, offset + 1);
  }

  /**
   * A record is done with (handled, a duplicate, dead-lettered or skipped). A record never marked so
   * (released, or still in hand at a close) holds the position where it is: it is read again.
   */
  void handled(long offset) {
    unfinished.remove(offset);
  }

  /** Where the group may resume: every record before it is handled; empty if nothing was received. */
  OptionalLong position() {
    if (afterHighestReceived < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(unfinished.isEmpty() ? afterHighestReceived : unfinished.first());
  }

  /** {@link #position()} if it moved past what was last committed. */
  OptionalLong positionToCommit() {
    OptionalLong position = position();
    return position.isPresent() && position.getAsLong() > committed ? position : OptionalLong.empty();
  }

  void committed(long position) {
    committed = Math.max(committed, position);
  }

  void revoke() {
    revoked = true;
  }

  /** Revoked partitions are read by their new owner: what is still waiting here is dropped. */
  boolean isRevoked() {
    return revoked;
  }

  /** Records received and not yet handled. */
  int unfinished() {
    return unfinished.size();
  }
}
