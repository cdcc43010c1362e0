package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.RecentEvents;
import dev.switchboard.runtime.store.StoredEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The events the writer's current batch appends, handed to the node's feed of committed events
 * once, and only if, the batch committed: a write rolled back to its savepoint loses what it staged.
 *
 * <p>Not thread-safe, on purpose: only the writer's thread uses it.
 */
final class StagedAppends implements SqliteWriter.TransactionListener {

  private final RecentEvents feed;
  private final List<StoredEvent> batch = new ArrayList<>();
  private final List<StoredEvent> work = new ArrayList<>();

  StagedAppends(RecentEvents feed) {
    this.feed = feed;
  }

  /** Events the current write appended. */
  void stage(List<StoredEvent> appended) {
    work.addAll(appended);
  }

  @Override
  public void workReleased() {
    batch.addAll(work);
    work.clear();
  }

  @Override
  public void workRolledBack() {
    work.clear();
  }

  @Override
  public void batchCommitted() {
    feed.committed(batch);
    batch.clear();
    work.clear();
  }

  @Override
  public void batchRolledBack() {
    batch.clear();
    work.clear();
  }
}
