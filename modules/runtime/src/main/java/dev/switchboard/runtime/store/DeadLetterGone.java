package dev.switchboard.runtime.store;

/** The dead letter is no longer there: replayed or discarded by someone else meanwhile. */
public final class DeadLetterGone extends RuntimeException {
  public DeadLetterGone(String id) {
    super("dead letter " + id + " is gone: it was replayed or discarded meanwhile");
  }
}
