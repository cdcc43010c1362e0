package dev.switchboard.transports.rabbitmq;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.util.function.Supplier;

/** Running code on a given Vert.x context and having its result back on the caller's. */
final class Contexts {

  private Contexts() {
  }

  /**
   * A new event-loop context. The RabbitMQ client runs its (blocking) channel calls in order per
   * calling context: each connection gets a context of its own so that its calls neither interleave
   * with another connection's nor wait behind them (a publisher waiting for confirms must not hold
   * up a consumer's acknowledgements).
   */
  static Context fresh(Vertx vertx) {
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  /**
   * Runs {@code action} on {@code target}; its outcome completes the returned future on the context
   * this is called from, so that state confined to either context stays so.
   */
  static <T> Future<T> on(Vertx vertx, Context target, Supplier<Future<T>> action) {
    Context caller = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    target.runOnContext(v -> {
      Future<T> outcome;
      try {
        outcome = action.get();
      } catch (RuntimeException thrown) {
        outcome = Future.failedFuture(thrown);
      }
      outcome.onComplete(done -> caller.runOnContext(x -> promise.handle(done)));
    });
    return promise.future();
  }
}
