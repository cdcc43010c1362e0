package dev.switchboard.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Read models: each projection has a table of rows (an id, a JSON body and the log position of the
 * batch that last changed it), written together with
 * the log position they reflect, so a projection resumes exactly where it stopped and never applies
 * an event twice.
 *
 * <p>A table has generations, so a projection can be rebuilt from position zero while it serves:
 * {@link #beginRebuild} creates the next generation's empty table beside the serving one, the
 * runner fills it from the log, and {@link #finishRebuild} makes it the serving one and drops the
 * old table, in one transaction.
 *
 * <p>Projection names are lowercase letters, digits and underscores, starting with a letter.
 */
public interface ReadModelStore extends ReadModelReads {

  /** Creates the projection (generation 1, position 0) unless it exists; its state either way. */
  Future<ProjectionState> register(String name);

  Future<Optional<ProjectionState>> state(String name);

  Future<List<ProjectionState>> states();

  /** A row of a given generation (the runner reads the one it is filling). */
  Future<Optional<JsonObject>> row(String name, int generation, String id);

  /**
   * The rows of a given generation among {@code ids}, by id, in one read: a projection's batch
   * reads the rows it will change at once. An id without a row is not in the map.
   */
  Future<Map<String, JsonObject>> rows(String name, int generation, Collection<String> ids);

  /**
   * Writes rows into a generation and moves its position from {@code fromPosition} to
   * {@code toPosition}, all or nothing. A {@code null} body deletes the row.
   *
   * @return fails with {@link ProjectionMoved}, writing nothing, if the generation is not at
   *     {@code fromPosition} (or no longer exists)
   */
  Future<Void> apply(String name, int generation, long fromPosition, long toPosition, Map<String, JsonObject> rows);

  /**
   * Starts a rebuild: an empty table for the next generation, at position 0. If a rebuild is under
   * way already, changes nothing.
   */
  Future<ProjectionState> beginRebuild(String name);

  /**
   * Makes the rebuilt generation the serving one, at the position it reached, and drops the old
   * table.
   *
   * @return fails with {@link ProjectionMoved} if {@code generation} is not the one being rebuilt
   */
  Future<ProjectionState> finishRebuild(String name, int generation);

  /**
   * The position of the newest event in the log as this node's readers see it (0 if none): how far
   * projections have to go. A read of the log ({@link EventStore#readAll}) made after this answer that
   * comes back with fewer events than asked has read the log up to it at least, so nothing of the
   * types asked for lies between: a node serves reads of what it committed itself from memory, and
   * answers with the newest of those, even while a commit it has not yet seen there is visible in the
   * database.
   */
  Future<Long> head();

  /** Checks a projection name; the name becomes part of a table name. */
  static String checkName(String name) {
    if (name == null || !Names.PROJECTION.matcher(name).matches()) {
      throw new IllegalArgumentException("projection name \"" + name
          + "\" must be 1 to 40 lowercase letters, digits or underscores, starting with a letter");
    }
    return name;
  }

  /** Checks the name of a body field a query filters on: letters and digits, so it reads as a plain JSON key. */
  static String checkField(String field) {
    if (field == null || !Names.FIELD.matcher(field).matches()) {
      throw new IllegalArgumentException("read-model field \"" + field
          + "\" must be 1 to 40 letters or digits, starting with a letter");
    }
    return field;
  }

  /** The table that holds one generation of a projection. */
  static String table(String name, int generation) {
    return "read_" + checkName(name) + "_" + generation;
  }

  /** The patterns of {@link #checkName} and {@link #checkField}, compiled once: a table's name is checked on each read. */
  final class Names {
    private static final Pattern PROJECTION = Pattern.compile("[a-z][a-z0-9_]{0,39}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,39}");

    private Names() {
    }
  }
}
