package dev.switchboard.runtime.store;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The {@link EventStore#onAppended} listeners of a store. Each runs on the context that registered
 * it, whichever thread a commit completes on.
 */
public final class AppendListeners {

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<List<StoredEvent>>> observers = new CopyOnWriteArrayList<>();

  /** Registers a listener that will run on the caller's context. */
  public void add(Vertx vertx, Runnable listener) {
    Context context = vertx.getOrCreateContext();
    listeners.add(() -> context.runOnContext(v -> listener.run()));
  }

  /** Registers an observer of appended events, called on the committing thread. */
  public void observe(Consumer<List<StoredEvent>> observer) {
    observers.add(observer);
  }

  /** Tells the observers, and wakes every listener, if a commit appended events. */
  public void afterCommit(List<StoredEvent> appended) {
    if (!appended.isEmpty()) {
      observers.forEach(observer -> observer.accept(appended));
      wake();
    }
  }

  public void wake() {
    listeners.forEach(Runnable::run);
  }
}
