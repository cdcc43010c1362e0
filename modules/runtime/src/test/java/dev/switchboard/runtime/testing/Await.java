package dev.switchboard.runtime.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for asynchronous results from a test's own thread, never from an event loop: sequential
 * test code reads like the story it tells, and a test that hangs fails after a bounded wait.
 */
public final class Await {

  /** How long any single wait lasts at most. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private Await() {
  }

  /** The result of a future; an {@link AssertionError} if it failed or took longer than {@link #TIMEOUT}. */
  public static <T> T result(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected the future to succeed, it failed with " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete within " + TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  /** Why a future failed; an {@link AssertionError} if it succeeded or took longer than {@link #TIMEOUT}. */
  public static Throwable failure(Future<?> future) {
    Object value;
    try {
      value = future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("the future did not complete within " + TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
    throw new AssertionError("expected the future to fail, it succeeded with " + value);
  }

  /** Waits until a condition holds, checking every 10 ms; an {@link AssertionError} after {@link #TIMEOUT}. */
  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up waiting, after " + TIMEOUT + ", until " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting until " + what, e);
      }
    }
  }

  /**
   * Runs asynchronous code on a Vert.x context (for components whose state is confined to the
   * context that started them, like the outbox relay and the local transport) and waits for it.
   */
  public static <T> T onContext(Context context, Supplier<Future<T>> action) {
    return result(on(context, action));
  }

  /** Starts asynchronous code on a Vert.x context; its future, to wait on with {@link #result} or {@link #failure}. */
  public static <T> Future<T> on(Context context, Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }
}
