package dev.switchboard.orders.application;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.ForwardingEventStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real store, with one twist for tests of races: the next stream read can be held back after
 * it has read, so that another writer commits in between and the reader decides on a state that
 * is no longer current. Everything else goes straight to the real store.
 */
final class HoldingStore extends ForwardingEventStore {

  private final AtomicInteger streamReads = new AtomicInteger();
  private final AtomicBoolean heldReadDone = new AtomicBoolean();
  private volatile Promise<Void> gate;
  private volatile Promise<Void> holding;

  HoldingStore(EventStore store) {
    super(store);
  }

  /** The next {@link #readStream} reads at once but answers only on {@link #release()}. */
  void holdNextStreamRead() {
    heldReadDone.set(false);
    holding = Promise.promise();
    gate = holding;
  }

  /** Whether the held read has read (what it read is now what it will answer). */
  boolean heldReadHasRead() {
    return heldReadDone.get();
  }

  void release() {
    holding.tryComplete();
  }

  int streamReads() {
    return streamReads.get();
  }

  @Override
  public Future<List<StoredEvent>> readStream(String streamId) {
    streamReads.incrementAndGet();
    Promise<Void> held = gate;
    gate = null;
    Future<List<StoredEvent>> read = delegate.readStream(streamId);
    if (held == null) {
      return read;
    }
    return read.onComplete(done -> heldReadDone.set(true)).compose(events -> held.future().map(events));
  }
}
