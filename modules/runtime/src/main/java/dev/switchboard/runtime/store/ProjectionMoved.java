package dev.switchboard.runtime.store;

/**
 * A projection's checkpoint was not where the writer expected it: another runner (on another
 * node, say) applied that stretch of the log, or the generation was switched or dropped. Nothing
 * was written; the runner re-reads the projection's state and goes on from there.
 */
public final class ProjectionMoved extends RuntimeException {

  public ProjectionMoved(String message) {
    super(message, null, false, false);
  }
}
