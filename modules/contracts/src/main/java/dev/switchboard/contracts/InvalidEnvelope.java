package dev.switchboard.contracts;

/** A message that is not a CloudEvent we can read. It is a poison message: retrying cannot help. */
public final class InvalidEnvelope extends IllegalArgumentException {
  public InvalidEnvelope(String message) {
    super(message);
  }
}
