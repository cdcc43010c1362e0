package dev.switchboard.runtime.store.write;

import dev.switchboard.runtime.store.ProjectionState;
import io.vertx.core.Future;

import java.util.Map;

/**
 * The statements of one write to the read models, within a store's writer transaction, in the
 * store's dialect: what the runtime's {@link ReadModelWrites} asks of a store. As with
 * {@link WriteStatements}, each sends when called and answers later (or at once); a store that
 * pipelines must wait for the answers of a write that reads before it writes (a rebuild's steps).
 */
public interface ReadModelStatements {

  /** Creates the projection (generation 1, position 0) unless it exists; answers its state, as {@link #state}. */
  Future<ProjectionState> registered(String name);

  /**
   * The projection's state, which no other writer changes before this write commits.
   *
   * @return fails with {@link dev.switchboard.runtime.store.ProjectionMoved} if there is no such projection
   */
  Future<ProjectionState> state(String name);

  /** Creates a generation's empty table unless it exists. */
  Future<Void> createTable(String name, int generation);

  /** Drops a generation's table, which must exist unless {@code ifExists}. */
  Future<Void> dropTable(String name, int generation, boolean ifExists);

  /**
   * Moves the position of the generation (serving or being rebuilt) from {@code from} to
   * {@code to}; false, changing nothing, if it is not at {@code from} (or is gone).
   */
  Future<Boolean> movePosition(String name, int generation, long from, long to);

  /**
   * Writes rows of a generation at {@code position}: a body as JSON text replaces the row's, a null
   * one deletes the row.
   */
  Future<Void> writeRows(String name, int generation, long position, Map<String, String> bodies);

  /** Records that {@code state}'s rebuild began: its generation, at position 0. */
  Future<Void> rebuildBegun(ProjectionState state);

  /** Records that {@code state}'s generation serves, at its position, with no rebuild. */
  Future<Void> serve(ProjectionState state);
}
