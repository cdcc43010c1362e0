package dev.switchboard.runtime.transport.local;

import dev.switchboard.runtime.store.Leases;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.TreeSet;

/**
 * How many of one consumer's lanes this node should read: its fair share, the lanes divided among
 * the nodes present on the store ({@link Leases#nodesPresent()}), rounded up. A node takes free lanes
 * up to its share and gives back the ones beyond it (its highest first), so that a node that joins
 * gets lanes from the others, and the lanes of a node that died are taken by those left.
 *
 * <p>Confined to the context of the consumer's lanes.
 */
final class LaneShare {

  private static final Logger LOG = LoggerFactory.getLogger(LaneShare.class);
  private static final long RECOUNT_INTERVAL_NANOS = 1_000_000_000L;

  private final String consumer;
  private final int lanes;
  private final Leases leases;
  private final TreeSet<Integer> held = new TreeSet<>();
  private int fair;
  private boolean counting;
  private long countedAt = System.nanoTime() - RECOUNT_INTERVAL_NANOS;

  LaneShare(String consumer, int lanes, Leases leases) {
    this.consumer = consumer;
    this.lanes = lanes;
    this.leases = leases;
    this.fair = lanes;
  }

  /**
   * Counts the nodes again, at most once a second and one count at a time (every lane of the consumer
   * asks at each of its polls); until the first count answers, a node may take every lane.
   */
  void recount() {
    long now = System.nanoTime();
    if (lanes == 1 || counting || now - countedAt < RECOUNT_INTERVAL_NANOS) {
      return;
    }
    counting = true;
    countedAt = now;
    leases.nodesPresent().onComplete(count -> {
      counting = false;
      if (count.failed()) {
        return; // the store is away: the share stays as it was
      }
      int nodes = Math.max(1, count.result());
      int share = (lanes + nodes - 1) / nodes;
      if (share != fair) {
        LOG.info("{}: {} node(s) share its {} lanes; this one reads up to {}", consumer, nodes, lanes, share);
        fair = share;
      }
    });
  }

  boolean mayTakeAnother() {
    return held.size() < fair;
  }

  /** Whether this node reads more lanes than its share and this lane is the one to give back first. */
  boolean shouldGiveBack(Lane lane) {
    return held.size() > fair && held.last() == lane.index();
  }

  void took(Lane lane) {
    held.add(lane.index());
  }

  void gaveUp(Lane lane) {
    held.remove(lane.index());
  }
}
