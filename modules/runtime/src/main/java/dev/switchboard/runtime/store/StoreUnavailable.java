package dev.switchboard.runtime.store;

/**
 * The store could not do what was asked for a technical reason (closed, overloaded, I/O).
 *
 * <p>Most such failures are known to have written nothing. One is not: a commit whose answer never
 * came (the connection broke, or stopped answering, after the commit was sent) may have happened.
 * {@link #mayHaveCommitted()} tells them apart, so that a caller does not tell its own client
 * "nothing was done, try again" when something may have been.
 */
public final class StoreUnavailable extends RuntimeException {

  private final boolean mayHaveCommitted;

  /** A failure that wrote nothing. */
  public StoreUnavailable(String message, Throwable cause) {
    this(message, cause, false);
  }

  public StoreUnavailable(String message, Throwable cause, boolean mayHaveCommitted) {
    super(message, cause);
    this.mayHaveCommitted = mayHaveCommitted;
  }

  /** True if the write was sent to be committed and no answer came: it may or may not have happened. */
  public boolean mayHaveCommitted() {
    return mayHaveCommitted;
  }
}
