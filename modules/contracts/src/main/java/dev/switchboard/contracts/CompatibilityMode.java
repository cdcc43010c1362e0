package dev.switchboard.contracts;

/**
 * What a new version of an event type promises the readers of the versions before it, as a schema
 * registry names it. The build checks the promise ({@code SchemaCompatibilityTest} in contracts).
 */
public enum CompatibilityMode {

  /**
   * New readers read old events: every older version reaches the newest through the upcasters, and
   * the result is valid against the newest schema. What a rebuild or a dead-letter replay needs.
   */
  BACKWARD,

  /**
   * Old readers read new events: an event of the newest version is valid against the previous
   * version's schema, and that version's reader, ignoring what it does not know, reads it. What a
   * node not yet upgraded needs during a rolling upgrade.
   */
  FORWARD,

  /** Both. */
  FULL;

  public boolean backward() {
    return this == BACKWARD || this == FULL;
  }

  public boolean forward() {
    return this == FORWARD || this == FULL;
  }
}
