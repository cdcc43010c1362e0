package dev.switchboard.runtime.projection;

import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rows one tailer committed lately, as it committed them (an empty row: deleted), so that the
 * next batches need not read them back: an order's events follow each other within moments, each
 * applied to the row the one before wrote. Keeps the {@code capacity} rows used most recently.
 *
 * <p>Sound only while the tailer is its generation's one writer, which the projection's lease and
 * the checkpoint each batch moves from where its tailer read it ensure: a tailer that finds its
 * checkpoint moved is replaced, memory and all. The rows held are never handed out: {@link BatchRows}
 * gives each projector a copy.
 */
final class CommittedRows {

  private final Map<String, Optional<JsonObject>> rows;

  CommittedRows(int capacity) {
    this.rows = new LinkedHashMap<>(Math.min(capacity, 1 << 12), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Optional<JsonObject>> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The rows of {@code ids} held here (an empty one: the row is known not to exist). */
  Map<String, Optional<JsonObject>> among(Collection<String> ids) {
    Map<String, Optional<JsonObject>> found = new LinkedHashMap<>();
    for (String id : ids) {
      Optional<JsonObject> row = rows.get(id);
      if (row != null) {
        found.put(id, row);
      }
    }
    return found;
  }

  /** A batch's changes, committed (a null body: the row was deleted). */
  void committed(Map<String, JsonObject> changes) {
    changes.forEach((id, body) -> rows.put(id, Optional.ofNullable(body)));
  }

  /** After a batch whose fate is unknown: the store must say again. */
  void forget() {
    rows.clear();
  }
}
