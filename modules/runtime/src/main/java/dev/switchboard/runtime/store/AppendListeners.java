package dev.switchboard.runtime.store;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What a store does after a commit that appended events: keeps them in its {@link RecentEvents}, tells
 * the observers, and wakes the {@link EventStore#onAppended} listeners, each on the context that
 * registered it, whichever thread a commit completes on.
 */
public final class AppendListeners {

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<List<StoredEvent>>> observers = new CopyOnWriteArrayList<>();
  private final RecentEvents recent = new RecentEvents();

  /** The events this node committed last, for reads of the log. */
  public RecentEvents recent() {
    return recent;
  }

  /** Another node appended to the store (a shared PostgreSQL): wakes the listeners, and the feed is no longer the head. */
  public void othersAppended() {
    recent.othersAppend();
    wake();
  }

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
      recent.add(appended);
      observers.forEach(observer -> observer.accept(appended));
      wake();
    }
  }

  public void wake() {
    listeners.forEach(Runnable::run);
  }
}
