package dev.switchboard.runtime.transport.wire;

import io.vertx.core.Context;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Hands things over to a context from any thread, in order, in one task per burst: what is handed
 * over while a turn is already scheduled joins that turn. A broker's client hands messages over one
 * by one; crossing to the context one task each, they would be taken one by one too (and each
 * task is a wake-up of the context's thread).
 *
 * @param <T> what crosses
 */
public final class Crossing<T> {

  private final Context context;
  private final Consumer<T> taker;
  private final Queue<T> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** @param taker takes each thing on {@code context}, in the order they were handed over */
  public Crossing(Context context, Consumer<T> taker) {
    this.context = context;
    this.taker = taker;
  }

  /** Hands {@code item} over, from any thread: it is taken on the context, after whatever was handed over before it. */
  public void handOver(T item) {
    waiting.add(item);
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> takeWaiting());
    }
  }

  /** Whether nothing waits to cross: then something on the context may be taken at once without overtaking. */
  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** Takes, now, what waits; on the context only (a scheduled turn then finds nothing). */
  public void takeWaiting() {
    scheduled.set(false); // before taking: whatever is handed over from now on schedules another turn
    for (T next = waiting.poll(); next != null; next = waiting.poll()) {
      taker.accept(next);
    }
  }
}
