package dev.switchboard.stores.embedded;

import io.vertx.core.Future;

import java.sql.SQLException;

/**
 * Between SQLite's blocking driver and the runtime's write path, which speaks futures: a statement
 * run on the writer's thread answers with a future already complete, and a write made of such
 * statements is complete when the runtime hands it back, so the writer takes its value at once.
 */
final class BlockingAnswers {

  /** A statement that may fail. */
  interface Call<T> {
    T run() throws SQLException;
  }

  private BlockingAnswers() {
  }

  /** Runs {@code call} now: its value, or its failure, as a complete future. */
  static <T> Future<T> now(Call<T> call) {
    try {
      return Future.succeededFuture(call.run());
    } catch (SQLException | RuntimeException failure) {
      return Future.failedFuture(failure);
    }
  }

  /**
   * The value of a write whose statements all ran on the writer's thread, as the writer takes it; its
   * failure thrown (which rolls the write back alone).
   */
  static <T> T answered(Future<T> write) throws Exception {
    if (!write.isComplete()) {
      throw new IllegalStateException("a write of the embedded store did not finish on the writer's thread");
    }
    if (write.succeeded()) {
      return write.result();
    }
    if (write.cause() instanceof Exception failure) {
      throw failure;
    }
    if (write.cause() instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(write.cause());
  }
}
