package dev.switchboard.runtime.projection;

import dev.switchboard.runtime.store.ReadModelStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rows of one generation as seen while a batch of events is applied, and the batch's changes. */
final class BatchRows implements Rows {

  record Notice(String address, JsonObject body) {
  }

  private final ReadModelStore store;
  private final String name;
  private final int generation;
  /** Changed rows; a null body is a deleted row. */
  private final Map<String, JsonObject> changes = new LinkedHashMap<>();
  private final Map<String, Optional<JsonObject>> readThrough = new HashMap<>();
  private final List<Notice> notices = new ArrayList<>();

  BatchRows(ReadModelStore store, String name, int generation) {
    this.store = store;
    this.name = name;
    this.generation = generation;
  }

  @Override
  public Future<Optional<JsonObject>> get(String id) {
    if (changes.containsKey(id)) {
      return Future.succeededFuture(Optional.ofNullable(changes.get(id)).map(JsonObject::copy));
    }
    Optional<JsonObject> cached = readThrough.get(id);
    if (cached != null) {
      return Future.succeededFuture(cached.map(JsonObject::copy));
    }
    return store.row(name, generation, id).onSuccess(row -> readThrough.put(id, row)).map(row -> row.map(JsonObject::copy));
  }

  /** Takes these rows as read (an id without a row in {@code found} has none), sparing a read each. */
  void readAlready(Collection<String> ids, Map<String, JsonObject> found) {
    ids.forEach(id -> readThrough.put(id, Optional.ofNullable(found.get(id))));
  }

  /** Takes these rows as read (an empty one: there is none), sparing a read each. */
  void readAlready(Map<String, Optional<JsonObject>> known) {
    readThrough.putAll(known);
  }

  @Override
  public void put(String id, JsonObject body) {
    changes.put(id, body.copy());
  }

  @Override
  public void delete(String id) {
    changes.put(id, null);
  }

  @Override
  public void notify(String address, JsonObject body) {
    notices.add(new Notice(address, body.copy()));
  }

  Map<String, JsonObject> changes() {
    return changes;
  }

  List<Notice> notices() {
    return notices;
  }
}
