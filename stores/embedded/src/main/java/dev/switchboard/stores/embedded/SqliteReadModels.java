package dev.switchboard.stores.embedded;

import dev.switchboard.contracts.ExactJson;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.ServingGenerations;
import dev.switchboard.runtime.store.StoreUnavailable;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.switchboard.stores.embedded.StatementCaches.prepared;

/**
 * Read-model tables in the embedded store ({@code read_<name>_<generation>}, {@code id, body}),
 * written through the store's single writer so that rows and position commit together, and a
 * switch of generations with the drop of the old table is one transaction.
 */
final class SqliteReadModels implements ReadModelStore {

  private static final String SELECT_STATE = """
      SELECT name, generation, position, rebuild_generation, rebuild_position FROM projections""";
  private static final String INSERT_STATE =
      "INSERT INTO projections (name, generation, position) VALUES (?, 1, 0) ON CONFLICT DO NOTHING";
  private static final String MOVE_POSITION = """
      UPDATE projections SET
        position = CASE WHEN generation = ?2 THEN ?4 ELSE position END,
        rebuild_position = CASE WHEN rebuild_generation = ?2 THEN ?4 ELSE rebuild_position END
      WHERE name = ?1 AND ((generation = ?2 AND position = ?3)
                        OR (rebuild_generation = ?2 AND rebuild_position = ?3))""";
  private static final String BEGIN_REBUILD =
      "UPDATE projections SET rebuild_generation = ?, rebuild_position = 0 WHERE name = ?";
  private static final String FINISH_REBUILD = """
      UPDATE projections SET generation = ?, position = ?, rebuild_generation = NULL, rebuild_position = NULL
      WHERE name = ?""";
  private static final String SELECT_HEAD = "SELECT coalesce(max(position), 0) FROM events";

  private final SqliteEventStore store;
  private final ServingGenerations serving = new ServingGenerations(this);

  SqliteReadModels(SqliteEventStore store) {
    this.store = store;
  }

  @Override
  public Future<ProjectionState> register(String name) {
    try {
      ReadModelStore.checkName(name);
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    return store.write(connection -> {
      PreparedStatement insert = prepared(connection, INSERT_STATE);
      insert.setString(1, name);
      insert.executeUpdate();
      ProjectionState state = stateOf(connection, name).orElseThrow();
      createTable(connection, name, state.generation());
      if (state.rebuild().isPresent()) {
        createTable(connection, name, state.rebuild().get().generation());
      }
      return state;
    });
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
    String table = ReadModelStore.table(name, generation);
    String upsertRow = "INSERT INTO " + table + " (id, body, position)"
        + " VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body, position = excluded.position";
    String deleteRow = "DELETE FROM " + table + " WHERE id = ?";
    // the rows are written to text here, on the caller's thread, not on the single writer that every commit waits for
    Map<String, String> texts = new LinkedHashMap<>();
    try {
      rows.forEach((id, body) -> texts.put(id, body == null ? null : body.encode()));
    } catch (RuntimeException unwritable) {
      return Future.failedFuture(unwritable);
    }
    return store.write(connection -> {
      PreparedStatement update = prepared(connection, MOVE_POSITION);
      update.setString(1, name);
      update.setInt(2, generation);
      update.setLong(3, fromPosition);
      update.setLong(4, toPosition);
      if (update.executeUpdate() == 0) {
        throw ProjectionMoved.notAt(name, generation, fromPosition);
      }
      for (Map.Entry<String, String> row : texts.entrySet()) {
        if (row.getValue() == null) {
          PreparedStatement delete = prepared(connection, deleteRow);
          delete.setString(1, row.getKey());
          delete.executeUpdate();
        } else {
          PreparedStatement upsert = prepared(connection, upsertRow);
          upsert.setString(1, row.getKey());
          upsert.setString(2, row.getValue());
          upsert.setLong(3, toPosition);
          upsert.executeUpdate();
        }
      }
      return (Void) null;
    });
  }

  @Override
  public Future<ProjectionState> beginRebuild(String name) {
    try {
      ReadModelStore.checkName(name);
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    return store.write(connection -> {
      ProjectionState state = stateOf(connection, name).orElseThrow(() -> ProjectionMoved.noProjection(name));
      if (state.rebuilding()) {
        return state;
      }
      ProjectionState begun = state.withRebuildBegun();
      int next = begun.rebuild().orElseThrow().generation();
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS " + ReadModelStore.table(name, next));
      }
      createTable(connection, name, next);
      PreparedStatement update = prepared(connection, BEGIN_REBUILD);
      update.setInt(1, next);
      update.setString(2, name);
      update.executeUpdate();
      return begun;
    });
  }

  @Override
  public Future<ProjectionState> finishRebuild(String name, int generation) {
    return store.write(connection -> {
      ProjectionState state = stateOf(connection, name).orElseThrow(() -> ProjectionMoved.noProjection(name));
      ProjectionState finished = state.withRebuildFinished(generation);
      PreparedStatement update = prepared(connection, FINISH_REBUILD);
      update.setInt(1, finished.generation());
      update.setLong(2, finished.position());
      update.setString(3, name);
      update.executeUpdate();
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE " + ReadModelStore.table(name, state.generation()));
      }
      return finished;
    }).onSuccess(serving::switched);
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

  private static Optional<ProjectionState> stateOf(Connection connection, String name) throws SQLException {
    PreparedStatement select = prepared(connection, SELECT_STATE + " WHERE name = ?");
    select.setString(1, name);
    return states(select).stream().findFirst();
  }

  private static void createTable(Connection connection, String name, int generation) throws SQLException {
    String table = ReadModelStore.table(name, generation);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS " + table
          + " (id TEXT PRIMARY KEY, body TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID");
      statement.execute("CREATE INDEX IF NOT EXISTS " + table + "_by_position ON " + table + " (position)");
    }
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
