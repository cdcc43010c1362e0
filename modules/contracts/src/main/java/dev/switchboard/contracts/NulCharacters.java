package dev.switchboard.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds NUL characters (U+0000) in an event's data. JSON allows them, SQLite keeps them, but
 * PostgreSQL refuses them in text: checked where events come in, so that both stores take and refuse
 * the same events, and such an event is refused as invalid rather than failing in the database.
 */
final class NulCharacters {

  static final String PROBLEM = "contains a NUL character (U+0000), which the store cannot keep";

  private NulCharacters() {
  }

  /** One problem per string (or member name) holding a NUL, located by its JSON pointer. */
  static List<String> in(JsonObject data) {
    List<String> problems = new ArrayList<>();
    visit(data, "", problems);
    return problems;
  }

  static boolean in(String text) {
    return text != null && text.indexOf('\u0000') >= 0;
  }

  private static void visit(Object value, String pointer, List<String> problems) {
    if (value instanceof String text) {
      if (in(text)) {
        problems.add((pointer.isEmpty() ? "(root)" : pointer) + ": " + PROBLEM);
      }
    } else if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> member : object) {
        String at = pointer + "/" + (in(member.getKey()) ? "(a name)" : member.getKey());
        if (in(member.getKey())) {
          problems.add(at + ": " + PROBLEM);
        }
        visit(member.getValue(), at, problems);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        visit(array.getValue(i), pointer + "/" + i, problems);
      }
    }
  }
}
