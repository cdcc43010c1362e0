package dev.switchboard.runtime.store;

/** Values for the optimistic-concurrency guard of an append or a document write. */
public final class ExpectedVersion {

  /** No guard: append after whatever the stream holds. */
  public static final long ANY = -1;
  /** The stream (or document) must not exist yet. */
  public static final long NONE = 0;

  private ExpectedVersion() {
  }
}
