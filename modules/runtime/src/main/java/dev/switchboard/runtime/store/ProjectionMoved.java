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

  public static ProjectionMoved noProjection(String name) {
    return new ProjectionMoved("there is no projection " + name);
  }

  public static ProjectionMoved noGeneration(String name, int generation) {
    return new ProjectionMoved(name + " has no generation " + generation + " any more");
  }

  /** A write that expected the generation at {@code position} found it elsewhere. */
  public static ProjectionMoved notAt(String name, int generation, long position) {
    return new ProjectionMoved(name + " generation " + generation + " is not at position " + position + " any more");
  }
}
