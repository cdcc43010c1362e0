package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.wire.ClientFutures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.KafkaFuture;

/** Bridges the Kafka clients' futures to Vert.x ones, completed on a given context. */
final class KafkaFutures {

  private KafkaFutures() {
  }

  static <T> Future<T> on(Context context, KafkaFuture<T> future) {
    return ClientFutures.on(context, future.toCompletionStage());
  }

  /**
   * The same outcome, with callbacks on {@code context}: for futures that may complete elsewhere (a
   * timeout fires on a shared timer thread; a client completes on its own thread) and feed state
   * confined to a context.
   */
  static <T> Future<T> on(Context context, Future<T> future) {
    return Future.fromCompletionStage(future.toCompletionStage(), context);
  }

  /** Whether a failure is, or was caused by, the given kind of exception. */
  static boolean causedBy(Throwable failure, Class<? extends Throwable> kind) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (kind.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
