package dev.switchboard.runtime.store;

import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * Where one projection stands: the generation of its table that serves reads, the log position
 * that generation reflects, and the rebuild under way, if any (a newer generation being filled from
 * position zero beside the serving one).
 */
public record ProjectionState(String name, int generation, long position, Optional<Rebuild> rebuild) {

  public record Rebuild(int generation, long position) {
  }

  public boolean rebuilding() {
    return rebuild.isPresent();
  }

  /** The position a generation has reached, for generations this state knows of. */
  public long positionOf(int ofGeneration) {
    if (ofGeneration == generation) {
      return position;
    }
    return rebuild.filter(r -> r.generation() == ofGeneration).map(Rebuild::position)
        .orElseThrow(() -> ProjectionMoved.noGeneration(name, ofGeneration));
  }

  /** The state once a rebuild began: this one if a rebuild is under way, else the next generation at position 0. */
  public ProjectionState withRebuildBegun() {
    return rebuilding() ? this : new ProjectionState(name, generation, position, Optional.of(new Rebuild(generation + 1, 0)));
  }

  /**
   * The state once the rebuild of {@code rebuilt} finished: that generation serves, at the position it reached.
   *
   * @throws ProjectionMoved if {@code rebuilt} is not the generation being rebuilt
   */
  public ProjectionState withRebuildFinished(int rebuilt) {
    Rebuild under = rebuild.filter(r -> r.generation() == rebuilt)
        .orElseThrow(() -> new ProjectionMoved(name + " is not rebuilding generation " + rebuilt));
    return new ProjectionState(name, under.generation(), under.position(), Optional.empty());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("generation", generation).put("position", position);
    rebuild.ifPresent(r -> json.put("rebuild", new JsonObject().put("generation", r.generation())
        .put("position", r.position())));
    return json;
  }
}
