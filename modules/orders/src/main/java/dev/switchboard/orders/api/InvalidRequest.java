package dev.switchboard.orders.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A request a client got wrong: what is wrong, field by field. Maps to HTTP 400. */
public final class InvalidRequest extends RuntimeException {

  /** One thing wrong with one field; {@code field} is a path such as {@code items[2].quantity}. */
  public record Problem(String field, String problem) {
    JsonObject toJson() {
      return new JsonObject().put("field", field).put("problem", problem);
    }
  }

  private final List<Problem> problems;

  public InvalidRequest(String message, List<Problem> problems) {
    super(message);
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  public JsonObject toJson() {
    JsonArray details = new JsonArray();
    problems.forEach(problem -> details.add(problem.toJson()));
    return new JsonObject().put("error", getMessage()).put("details", details);
  }
}
