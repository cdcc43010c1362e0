package dev.switchboard.runtime.transport.wire;

import io.vertx.core.Future;

/**
 * One consumer's stream of messages off a broker, as a {@link Wire} opened it. The runtime calls it
 * from the consumer's context, one call at a time.
 */
public interface Source {

  /**
   * Asks the broker for no more messages for now: the runtime's lanes are full. Messages already on
   * their way may still arrive; the runtime holds them. At most about one fetch's worth arrives
   * after a pause.
   */
  void pause();

  /** Lets messages come again after {@link #pause()}. */
  void resume();

  /**
   * Stops taking messages, for a graceful close: after it completes, nothing more arrives (what
   * does arrive all the same the runtime releases). The messages in hand can still be acknowledged
   * or released until {@link #close()}.
   */
  Future<Void> stop();

  /**
   * Ends the source once every message it handed out is settled: records what was acknowledged (Kafka
   * commits its offsets) and leaves the consumer group. The runtime has released, before it calls
   * this, each message it did not get to acknowledge. Never fails.
   */
  Future<Void> close();
}
