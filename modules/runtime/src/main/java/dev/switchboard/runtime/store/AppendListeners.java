package dev.switchboard.runtime.store;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link EventStore#onAppended} listeners of a store. Each runs on the context that registered
 * it, whichever thread a commit completes on.
 */
public final class AppendListeners {

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Registers a listener that will run on the caller's context. */
  public void add(Vertx vertx, Runnable listener) {
    Context context = vertx.getOrCreateContext();
    listeners.add(() -> context.runOnContext(v -> listener.run()));
  }

  /** Wakes every listener if a commit appended events. */
  public void afterCommit(List<StoredEvent> appended) {
    if (!appended.isEmpty()) {
      wake();
    }
  }

  public void wake() {
    listeners.forEach(Runnable::run);
  }
}
