package dev.switchboard.runtime.transport.local;

/**
 * One share of a consumer's work on the log: the orders whose id falls in it (by a hash of the
 * event's subject every node computes alike), with a checkpoint and a lease of its own, so that the
 * nodes sharing a store can each read some of a consumer's lanes side by side. Every event of one
 * order falls in one lane, so an order's events are still handled in log order.
 *
 * <p>With one lane (the default) a consumer is what it always was: its lease is
 * {@code consumer:<name>} and its checkpoint {@code <name>}. With {@code count} lanes, lane
 * {@code k} is {@code consumer:<name>#k/count} and {@code <name>#k/count}.
 *
 * @param index which lane, from 0
 * @param count how many lanes the consumer is split into
 */
record Lane(int index, int count) {

  Lane {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("lane " + index + " of " + count + " does not exist");
    }
  }

  static Lane whole() {
    return new Lane(0, 1);
  }

  boolean isWhole() {
    return count == 1;
  }

  /** Whether an event of this subject is this lane's: {@link String#hashCode()} is the same on every JVM. */
  boolean holds(String subject) {
    return isWhole() || Math.floorMod(subject.hashCode(), count) == index;
  }

  /** The name of the lane's checkpoint: the consumer's own for a whole consumer. */
  String checkpointOf(String consumer) {
    return isWhole() ? consumer : consumer + "#" + index + "/" + count;
  }

  /** The role whose lease lets a node read the lane. */
  String roleOf(String consumer) {
    return "consumer:" + checkpointOf(consumer);
  }

  @Override
  public String toString() {
    return isWhole() ? "the whole log" : "lane " + index + " of " + count;
  }
}
