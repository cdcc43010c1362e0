package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.wire.ClientFutures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Calls on the SDK's asynchronous client as Vert.x futures, and what their failures mean. */
final class SqsCalls {

  private SqsCalls() {
  }

  /**
   * Makes the call and answers on {@code context} (null: the caller's context, if it runs on one, so
   * that the caller's callbacks never run on the SDK's threads), with the SDK's own exception rather
   * than its {@link CompletionException} wrapper. A call that throws before it starts fails the future.
   */
  static <T> Future<T> call(Context context, Supplier<CompletableFuture<T>> call) {
    Context answering = context != null ? context : Vertx.currentContext();
    CompletableFuture<T> started;
    try {
      started = call.get();
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    return ClientFutures.on(answering, started);
  }

  /** Whether the failure says the queue is not there (deleted, or lost by a broker that keeps nothing). */
  static boolean isMissingQueue(Throwable failure) {
    Throwable cause = ClientFutures.unwrap(failure);
    if (cause instanceof QueueDoesNotExistException) {
      return true;
    }
    if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = String.valueOf(service.awsErrorDetails().errorCode());
      return code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist");
    }
    return false;
  }

  /** Whether creating a queue failed because one of that name exists with other attributes. */
  static boolean isQueueNameTaken(Throwable failure) {
    Throwable cause = ClientFutures.unwrap(failure);
    if (cause instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      String code = String.valueOf(service.awsErrorDetails().errorCode());
      return code.contains("QueueAlreadyExists") || code.contains("QueueNameExists");
    }
    return false;
  }

  /** A short description of a failure for logs and errors: its class and message, no stack, no request. */
  static String describe(Throwable failure) {
    Throwable cause = ClientFutures.unwrap(failure);
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
