package dev.switchboard.stores.embedded;

import dev.switchboard.contracts.ExactJson;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.ServingGenerations;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.write.ReadModelStatements;
import dev.switchboard.runtime.store.write.ReadModelWrites;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static dev.switchboard.stores.embedded.StatementCaches.prepared;

/**
 * Read-model tables in the embedded store ({@code read_<name>_<generation>}, {@code id, body}): the
 * reads, here; the writes, the runtime's ({@link ReadModelWrites}) with this store's statements
 * ({@link SqliteReadModelStatements}) on its single writer, so that rows and position commit
 * together, and a switch of generations with the drop of the old table is one transaction.
 */
final class SqliteReadModels implements ReadModelStore {

  private static final String SELECT_STATE = """
      SELECT name, generation, position, rebuild_generation, rebuild_position FROM projections""";
  private static final String SELECT_HEAD = "SELECT coalesce(max(position), 0) FROM events";

  private final SqliteEventStore store;
  private final ServingGenerations serving = new ServingGenerations(this);
  private final ReadModelWrites writes;

  SqliteReadModels(SqliteEventStore store) {
    this.store = store;
    this.writes = new ReadModelWrites(this::written);
  }

  /** One write of the runtime's, on the store's writer with this store's statements. */
  private <T> Future<T> written(Function<ReadModelStatements, Future<T>> statements) {
    return store.write(connection -> BlockingAnswers.answered(statements.apply(new SqliteReadModelStatements(connection))));
  }

  @Override
  public Future<ProjectionState> register(String name) {
    return writes.register(name);
  }

  @Override
  public Future<Optional<ProjectionState>> state(String name) {
    return store.read(connection -> stateOf(connection, name));
  }

  @Override
  public Future<List<ProjectionState>> states() {
    return store.read(connection -> states(prepared(connection, SELECT_STATE + " ORDER BY name")));
  }

  @Override
  public Future<Optional<JsonObject>> row(String name, String id) {
    return serving.read(name, generation -> row(name, generation, id));
  }

  @Override
  public Future<List<JsonObject>> recentRows(String name, int limit) {
    return recent(name, "", limit, select -> { });
  }

  @Override
  public Future<List<JsonObject>> recentRowsWhere(String name, String field, String value, int limit) {
    try {
      ReadModelStore.checkField(field);
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    // the JSON path is bound as a value, never spliced into the statement
    return recent(name, " WHERE json_extract(body, ?2) = ?3", limit, select -> {
      select.setString(2, "$." + field);
      select.setString(3, value);
    });
  }

  private interface Binding {
    void bind(PreparedStatement select) throws SQLException;
  }

  private Future<List<JsonObject>> recent(String name, String where, int limit, Binding binding) {
    return serving.read(name, generation -> {
      String sql = "SELECT body FROM " + ReadModelStore.table(name, generation) + where
          + " ORDER BY position DESC, id LIMIT ?1";
      return store.read(connection -> {
        try {
          PreparedStatement select = prepared(connection, sql);
          select.setInt(1, limit);
          binding.bind(select);
          List<JsonObject> bodies = new ArrayList<>();
          try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
              bodies.add(ExactJson.parse(rows.getString(1)));
            }
          }
          return bodies;
        } catch (SQLException e) {
          throw movedIfDropped(e, name, generation);
        }
      });
    });
  }

  @Override
  public Future<Map<String, JsonObject>> rows(String name, int generation, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String sql = "SELECT id, body FROM " + ReadModelStore.table(name, generation)
        + " WHERE id IN (SELECT value FROM json_each(?))";
    String wanted = new JsonArray(new ArrayList<>(ids)).encode();
    return store.read(connection -> {
      try {
        PreparedStatement select = prepared(connection, sql);
        select.setString(1, wanted);
        Map<String, JsonObject> found = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            found.put(rows.getString(1), ExactJson.parse(rows.getString(2)));
          }
        }
        return found;
      } catch (SQLException e) {
        throw movedIfDropped(e, name, generation);
      }
    });
  }

  @Override
  public Future<Optional<JsonObject>> row(String name, int generation, String id) {
    String sql = "SELECT body FROM " + ReadModelStore.table(name, generation) + " WHERE id = ?";
    return store.read(connection -> {
      try {
        PreparedStatement select = prepared(connection, sql);
        select.setString(1, id);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(ExactJson.parse(rows.getString(1))) : Optional.<JsonObject>empty();
        }
      } catch (SQLException e) {
        throw movedIfDropped(e, name, generation);
      }
    });
  }

  @Override
  public Future<Void> apply(String name, int generation, long fromPosition, long toPosition,
                            Map<String, JsonObject> rows) {
    return writes.apply(name, generation, fromPosition, toPosition, rows);
  }

  @Override
  public Future<ProjectionState> beginRebuild(String name) {
    return writes.beginRebuild(name);
  }

  @Override
  public Future<ProjectionState> finishRebuild(String name, int generation) {
    return writes.finishRebuild(name, generation).onSuccess(serving::switched);
  }

  @Override
  public Future<Long> head() {
    long newest = store.recentEvents().newest();
    if (newest > 0) {
      return Future.succeededFuture(newest);
    }
    return store.read(connection -> {
      try (ResultSet rows = prepared(connection, SELECT_HEAD).executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    });
  }

  static Optional<ProjectionState> stateOf(Connection connection, String name) throws SQLException {
    PreparedStatement select = prepared(connection, SELECT_STATE + " WHERE name = ?");
    select.setString(1, name);
    return states(select).stream().findFirst();
  }

  /** A read of a table dropped meanwhile (its generation was switched out) is a {@link ProjectionMoved}. */
  private static RuntimeException movedIfDropped(SQLException failure, String name, int generation) {
    if (String.valueOf(failure.getMessage()).contains("no such table")) {
      return ProjectionMoved.noGeneration(name, generation);
    }
    return new StoreUnavailable("the embedded store failed: " + failure.getMessage(), failure);
  }

  private static List<ProjectionState> states(PreparedStatement select) throws SQLException {
    List<ProjectionState> states = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        int rebuildGeneration = rows.getInt(4);
        Optional<ProjectionState.Rebuild> rebuild = rows.wasNull()
            ? Optional.empty()
            : Optional.of(new ProjectionState.Rebuild(rebuildGeneration, rows.getLong(5)));
        states.add(new ProjectionState(rows.getString(1), rows.getInt(2), rows.getLong(3), rebuild));
      }
    }
    return states;
  }
}
