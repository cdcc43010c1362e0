package dev.switchboard.runtime.store;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The {@link EventStore#onAppended} listeners of a store. Each runs on the context that registered
 * it, whichever thread a commit completes on.
 */
public final class AppendListeners {

  /** A listener, and the types it is woken for (every type if empty). */
  private record Listener(Set<String> types, Runnable wake) {
  }

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<List<StoredEvent>>> observers = new CopyOnWriteArrayList<>();

  /** Registers a listener that will run on the caller's context after any append. */
  public Registration add(Vertx vertx, Runnable listener) {
    return add(vertx, Set.of(), listener);
  }

  /**
   * Registers a listener that will run on the caller's context after an append of one of
   * {@code types} (any, if empty), and whenever every listener is woken ({@link #wake}).
   */
  public Registration add(Vertx vertx, Set<String> types, Runnable listener) {
    Context context = vertx.getOrCreateContext();
    Listener registered = new Listener(Set.copyOf(types), () -> context.runOnContext(v -> listener.run()));
    listeners.add(registered);
    return () -> listeners.remove(registered);
  }

  /** Registers an observer of appended events, called on the committing thread. */
  public void observe(Consumer<List<StoredEvent>> observer) {
    observers.add(observer);
  }

  /**
   * Tells the observers, and wakes the listeners of the types appended, if a commit appended
   * events: a consumer is not sent to read the log for a commit that holds nothing of its.
   */
  public void afterCommit(List<StoredEvent> appended) {
    if (appended.isEmpty()) {
      return;
    }
    observers.forEach(observer -> observer.accept(appended));
    Set<String> types = new HashSet<>();
    appended.forEach(event -> types.add(event.type()));
    for (Listener listener : listeners) {
      if (listener.types().isEmpty() || listener.types().stream().anyMatch(types::contains)) {
        listener.wake().run();
      }
    }
  }

  /** Wakes every listener: for appends whose types are not known (another node's, say). */
  public void wake() {
    listeners.forEach(listener -> listener.wake().run());
  }
}
