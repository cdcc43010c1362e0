package dev.switchboard.runtime.store;

/** The store could not do what was asked for a technical reason (closed, overloaded, I/O). */
public final class StoreUnavailable extends RuntimeException {
  public StoreUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
