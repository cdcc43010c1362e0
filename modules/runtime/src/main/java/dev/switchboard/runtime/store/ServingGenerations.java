package dev.switchboard.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which generation of each projection serves reads, so that reading a row costs one
 * query. When a generation was switched meanwhile (here or on another node), the read of the old
 * table fails with {@link ProjectionMoved}; the generation is then looked up again, once.
 */
public final class ServingGenerations {

  private final ReadModelStore store;
  private final Map<String, Integer> known = new ConcurrentHashMap<>();

  public ServingGenerations(ReadModelStore store) {
    this.store = store;
  }

  public Future<Optional<JsonObject>> row(String name, String id) {
    Integer generation = known.get(name);
    Future<Integer> serving = generation != null ? Future.succeededFuture(generation) : lookUp(name);
    return serving.compose(g -> store.row(name, g, id)).recover(failure -> {
      if (!(failure instanceof ProjectionMoved)) {
        return Future.failedFuture(failure);
      }
      known.remove(name);
      return lookUp(name).compose(g -> store.row(name, g, id));
    });
  }

  public void switched(ProjectionState state) {
    known.put(state.name(), state.generation());
  }

  private Future<Integer> lookUp(String name) {
    return store.state(name).map(state -> {
      int generation = state.orElseThrow(() -> new ProjectionMoved("there is no projection " + name)).generation();
      known.put(name, generation);
      return generation;
    });
  }
}
