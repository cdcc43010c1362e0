package dev.switchboard.runtime.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a consumer's deliveries one at a time per subject (so the events of one order are handled
 * in the order they arrived) and side by side across subjects (so one slow order does not hold up
 * the others), with a bound on how many are admitted and not yet finished.
 *
 * <p>A broker transport admits messages while {@link #hasRoom()} and pauses its source when it is
 * full, resuming from {@link #onRoom(Runnable)}: that is the back-pressure from slow handlers to
 * the broker. Not thread-safe: use it from the one context the consumer runs on.
 */
public final class SubjectLanes {

  private final int capacity;
  private final Map<String, Future<?>> lastOfSubject = new HashMap<>();
  private final List<Promise<Void>> drainWaiters = new ArrayList<>();
  private Runnable roomListener = () -> { };
  private int admitted;

  public SubjectLanes(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Queues a delivery behind the earlier ones of its subject.
   *
   * @return completes as the delivery does, once the earlier ones of the subject have finished
   *     (whether they succeeded or failed)
   */
  public <T> Future<T> submit(String subject, Supplier<Future<T>> delivery) {
    admitted++;
    Future<?> previous = lastOfSubject.getOrDefault(subject, Future.succeededFuture());
    Future<T> mine = previous.transform(ignored -> run(delivery));
    lastOfSubject.put(subject, mine);
    mine.onComplete(done -> {
      if (lastOfSubject.get(subject) == mine) {
        lastOfSubject.remove(subject);
      }
      admitted--;
      if (admitted == capacity - 1) {
        roomListener.run();
      }
      if (admitted == 0) {
        drainWaiters.forEach(Promise::tryComplete);
        drainWaiters.clear();
      }
    });
    return mine;
  }

  public boolean hasRoom() {
    return admitted < capacity;
  }

  /** Called each time the lanes go from full to having room again. */
  public void onRoom(Runnable listener) {
    this.roomListener = listener;
  }

  public int admitted() {
    return admitted;
  }

  /** Completes when every admitted delivery has finished, for a graceful stop. */
  public Future<Void> drained() {
    if (admitted == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> waiter = Promise.promise();
    drainWaiters.add(waiter);
    return waiter.future();
  }

  private static <T> Future<T> run(Supplier<Future<T>> delivery) {
    try {
      return delivery.get();
    } catch (RuntimeException thrown) {
      return Future.failedFuture(thrown);
    }
  }
}
