package dev.switchboard.runtime.transport.wire;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A broker client's asynchronous answer ({@link CompletionStage}: Kafka's admin client, the AWS SDK)
 * as a Vert.x future: its callbacks on a context rather than the client's threads, and its failure
 * the one the client raised rather than the {@link CompletionException} wrapped around it.
 */
public final class ClientFutures {

  private ClientFutures() {
  }

  /** @param context where callbacks run; null: whichever thread completes it */
  public static <T> Future<T> on(Context context, CompletionStage<T> answer) {
    Future<T> future = context == null ? Future.fromCompletionStage(answer) : Future.fromCompletionStage(answer, context);
    return future.recover(failure -> Future.failedFuture(unwrap(failure)));
  }

  /** The failure itself, not the wrappers futures put around it. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
