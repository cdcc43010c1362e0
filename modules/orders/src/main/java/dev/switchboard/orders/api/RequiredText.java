package dev.switchboard.orders.api;

import dev.switchboard.orders.api.InvalidRequest.Problem;

import java.util.List;

/** A text field a request must hold: a string, not blank, not too long, printable. */
final class RequiredText {

  private RequiredText() {
  }

  /** The value, or null with the problem added to {@code problems}. */
  static String check(Object raw, String field, int maxLength, List<Problem> problems) {
    if (raw == null) {
      problems.add(new Problem(field, "is required"));
    } else if (!(raw instanceof String value)) {
      problems.add(new Problem(field, "must be a string"));
    } else if (value.isBlank()) {
      problems.add(new Problem(field, "must not be blank"));
    } else if (value.length() > maxLength) {
      problems.add(new Problem(field, "must be at most " + maxLength + " characters"));
    } else if (value.chars().anyMatch(Character::isISOControl)) {
      // printable only: a NUL no store keeps, a line break would forge log lines
      problems.add(new Problem(field, "must not contain control characters"));
    } else {
      return value;
    }
    return null;
  }
}
