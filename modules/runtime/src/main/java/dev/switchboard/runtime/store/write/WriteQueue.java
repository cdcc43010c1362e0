package dev.switchboard.runtime.store.write;

import dev.switchboard.runtime.store.StoreUnavailable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The queue in front of a store's writer, the half of group commit that does not depend on how a
 * store talks to its database: writes wait here, the writer takes whatever is waiting (up to a batch)
 * and commits it in one transaction, and each write is told its outcome on the context it came
 * from. The other half, how a batch becomes one transaction in which a failed write is rolled back
 * alone, is the store's.
 *
 * <p>The queue is bounded: a full one refuses a write at once with {@link StoreUnavailable} (the
 * caller backs off and retries) rather than growing without limit; a closed one refuses every new
 * write the same way, and its writer commits what is queued before it stops.
 *
 * @param <W> a store's kind of work
 */
public final class WriteQueue<W> {

  /** One write: the work, and who waits for its outcome where. */
  public static final class Request<W> {
    private final W work;
    private final Promise<Object> promise = Promise.promise();
    private final Context caller;

    private Request(W work, Context caller) {
      this.work = work;
      this.caller = caller;
    }

    public W work() {
      return work;
    }

    /** Reports the write done with {@code value}, on the caller's context. */
    public void succeed(Object value) {
      onCaller(() -> promise.tryComplete(value));
    }

    /** Reports the write failed, on the caller's context. */
    public void fail(Throwable failure) {
      onCaller(() -> promise.tryFail(failure));
    }

    private void onCaller(Runnable completion) {
      if (caller != null) {
        caller.runOnContext(v -> completion.run());
      } else {
        completion.run();
      }
    }
  }

  private final String store;
  private final BlockingQueue<Request<W>> queue;
  private volatile boolean closing;

  /**
   * @param store    names the store in refusals ("the embedded store", "the PostgreSQL store")
   * @param capacity how many writes may wait
   */
  public WriteQueue(String store, int capacity) {
    this.store = store;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /**
   * Queues {@code work}; its future completes, on {@code caller} (or wherever the writer is if
   * null), once the writer reported it.
   *
   * @param onQueued told after the write was queued, to wake the writer; not told of a refused write
   */
  @SuppressWarnings("unchecked")
  public <T> Future<T> submit(Context caller, W work, Runnable onQueued) {
    if (closing) {
      return Future.failedFuture(closed());
    }
    Request<W> request = new Request<>(work, caller);
    if (!queue.offer(request)) {
      return Future.failedFuture(new StoreUnavailable(
          store + "'s write queue is full (" + queue.size() + " waiting): try again later", null));
    }
    if (closing && queue.remove(request)) { // closed meanwhile, and the writer has not taken it
      return Future.failedFuture(closed());
    }
    onQueued.run();
    return (Future<T>) request.promise.future();
  }

  /** Refuses new writes from now on; what is queued stays for the writer to commit. */
  public void close() {
    closing = true;
  }

  public boolean closing() {
    return closing;
  }

  /** Whether the writer is done: closed, and nothing left to commit. */
  public boolean drained() {
    return closing && queue.isEmpty();
  }

  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Takes up to {@code max} waiting writes, in the order queued, without waiting; empty if none. */
  public List<Request<W>> take(int max) {
    List<Request<W>> batch = new ArrayList<>(Math.min(max, Math.max(1, queue.size())));
    queue.drainTo(batch, max);
    return batch;
  }

  /**
   * Waits up to {@code timeout} for a write, then takes it and up to {@code max - 1} more waiting
   * behind it: for a writer on a thread of its own. Empty if none came.
   */
  public List<Request<W>> await(int max, long timeout, TimeUnit unit) throws InterruptedException {
    Request<W> first = queue.poll(timeout, unit);
    if (first == null) {
      return List.of();
    }
    List<Request<W>> batch = new ArrayList<>(max);
    batch.add(first);
    queue.drainTo(batch, max - 1);
    return batch;
  }

  /** Fails every write still waiting, with a failure the message of which says why: for a writer that stops. */
  public void failWaiting(String why) {
    List<Request<W>> left = take(Integer.MAX_VALUE);
    StoreUnavailable failure = new StoreUnavailable(store + " " + why, null);
    left.forEach(request -> request.fail(failure));
  }

  private StoreUnavailable closed() {
    return new StoreUnavailable(store + " is closed", null);
  }
}
