package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/** The dead letters as an operator lists and discards them ({@code /dead-letters}). */
public interface DeadLetters {

  Future<List<DeadLetter>> deadLetters(int limit);

  Future<Optional<DeadLetter>> findDeadLetter(String id);

  /**
   * Discards a dead letter: the event stays handled and is not delivered again.
   * To have it handled instead, replay it ({@link ConsumerStore#commitReplayed}).
   *
   * @return false if there was no such letter
   */
  Future<Boolean> discardDeadLetter(String id);
}
