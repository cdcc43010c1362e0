package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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

  /** Runs a read of the serving generation of a projection (again, once, if it was switched meanwhile). */
  public <T> Future<T> read(String name, Function<Integer, Future<T>> readOfGeneration) {
    Integer generation = known.get(name);
    Future<Integer> serving = generation != null ? Future.succeededFuture(generation) : lookUp(name);
    return serving.compose(readOfGeneration).recover(failure -> {
      if (!(failure instanceof ProjectionMoved)) {
        return Future.failedFuture(failure);
      }
      known.remove(name);
      return lookUp(name).compose(readOfGeneration);
    });
  }

  public void switched(ProjectionState state) {
    known.put(state.name(), state.generation());
  }

  private Future<Integer> lookUp(String name) {
    return store.state(name).map(state -> {
      int generation = state.orElseThrow(() -> ProjectionMoved.noProjection(name)).generation();
      known.put(name, generation);
      return generation;
    });
  }
}
