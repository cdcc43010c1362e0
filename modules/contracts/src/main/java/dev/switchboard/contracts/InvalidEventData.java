package dev.switchboard.contracts;

import java.util.List;

/** An event whose {@code data} breaks its JSON Schema, or whose type or version we do not know. */
public final class InvalidEventData extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidEventData(String type, int version, List<String> problems) {
    super(type + " v" + version + " is invalid: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
