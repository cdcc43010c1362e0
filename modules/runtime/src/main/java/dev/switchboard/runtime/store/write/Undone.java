package dev.switchboard.runtime.store.write;

/**
 * A write's way of succeeding while keeping nothing it wrote (see {@link WriteStatements#undo}): its
 * writer rolls it back alone and reports {@link #value()} as its outcome.
 */
public final class Undone extends RuntimeException {

  private final transient Object value;

  Undone(Object value) {
    super("undone", null, false, false);
    this.value = value;
  }

  public Object value() {
    return value;
  }
}
