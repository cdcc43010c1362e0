package dev.switchboard.runtime.store.write;

import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Every write of the read models, once for all stores: a batch's rows with the compare-and-set of
 * its projection's position, and the steps of registering and of rebuilding a projection. A store
 * brings its writer and its {@link ReadModelStatements}; its reads stay its own.
 */
public final class ReadModelWrites {

  /** A store's writer (see {@link StoreWrites.Writer}). */
  public interface Writer {
    <T> Future<T> write(Function<ReadModelStatements, Future<T>> writes);
  }

  private final Writer writer;

  public ReadModelWrites(Writer writer) {
    this.writer = writer;
  }

  /** See {@link ReadModelStore#register}. */
  public Future<ProjectionState> register(String name) {
    return validName(name).compose(valid -> writer.write(statements -> statements.registered(name).compose(state -> {
      Future<Void> tables = statements.createTable(name, state.generation());
      if (state.rebuild().isPresent()) {
        int rebuilt = state.rebuild().get().generation();
        tables = tables.compose(v -> statements.createTable(name, rebuilt));
      }
      return tables.map(state);
    })));
  }

  /** See {@link ReadModelStore#apply}. */
  public Future<Void> apply(String name, int generation, long fromPosition, long toPosition, Map<String, JsonObject> rows) {
    // the rows become text here, on the caller's thread, not on the writer that every commit waits for
    Map<String, String> bodies = new LinkedHashMap<>();
    try {
      rows.forEach((id, body) -> bodies.put(id, body == null ? null : body.encode()));
    } catch (RuntimeException unwritable) {
      return Future.failedFuture(unwritable);
    }
    return writer.write(statements -> {
      Future<Boolean> moved = statements.movePosition(name, generation, fromPosition, toPosition);
      // sent along before the answer: if the projection moved, the write fails and its rows are rolled back
      Future<Void> written = statements.writeRows(name, generation, toPosition, bodies);
      return moved.compose(atFrom -> atFrom
          ? written : Future.failedFuture(ProjectionMoved.notAt(name, generation, fromPosition)));
    });
  }

  /** See {@link ReadModelStore#beginRebuild}. */
  public Future<ProjectionState> beginRebuild(String name) {
    return validName(name).compose(valid -> writer.write(statements -> statements.state(name).compose(state -> {
      if (state.rebuilding()) {
        return Future.succeededFuture(state);
      }
      ProjectionState begun = state.withRebuildBegun();
      int next = begun.rebuild().orElseThrow().generation();
      // a table of that generation may be left from a rebuild whose end was never recorded
      return statements.dropTable(name, next, true)
          .compose(v -> statements.createTable(name, next))
          .compose(v -> statements.rebuildBegun(begun))
          .map(begun);
    })));
  }

  /** See {@link ReadModelStore#finishRebuild}. */
  public Future<ProjectionState> finishRebuild(String name, int generation) {
    return writer.write(statements -> statements.state(name).compose(state -> {
      ProjectionState finished = state.withRebuildFinished(generation);
      return statements.serve(finished)
          .compose(v -> statements.dropTable(name, state.generation(), false))
          .map(finished);
    }));
  }

  /** The name becomes part of a table's name: it is checked before anything is written. */
  private static Future<Void> validName(String name) {
    try {
      ReadModelStore.checkName(name);
      return Future.succeededFuture();
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
  }
}
