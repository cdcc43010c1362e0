package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.write.ReadModelStatements;
import io.vertx.core.Future;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;

import static dev.switchboard.stores.embedded.BlockingAnswers.now;
import static dev.switchboard.stores.embedded.StatementCaches.prepared;

/**
 * The embedded store's statements for one write to the read models, on the writer's connection and
 * thread: each answers at once. The single writer is what keeps a projection's state from changing
 * under a write between its read and its commit.
 */
final class SqliteReadModelStatements implements ReadModelStatements {

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
  private static final String SERVE = """
      UPDATE projections SET generation = ?, position = ?, rebuild_generation = NULL, rebuild_position = NULL
      WHERE name = ?""";

  private final Connection connection;

  SqliteReadModelStatements(Connection connection) {
    this.connection = connection;
  }

  @Override
  public Future<ProjectionState> registered(String name) {
    return now(() -> {
      PreparedStatement insert = prepared(connection, INSERT_STATE);
      insert.setString(1, name);
      insert.executeUpdate();
      return SqliteReadModels.stateOf(connection, name).orElseThrow();
    });
  }

  @Override
  public Future<ProjectionState> state(String name) {
    return now(() -> SqliteReadModels.stateOf(connection, name).orElseThrow(() -> ProjectionMoved.noProjection(name)));
  }

  @Override
  public Future<Void> createTable(String name, int generation) {
    String table = ReadModelStore.table(name, generation);
    return now(() -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE IF NOT EXISTS " + table
            + " (id TEXT PRIMARY KEY, body TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID");
        statement.execute("CREATE INDEX IF NOT EXISTS " + table + "_by_position ON " + table + " (position)");
      }
      return null;
    });
  }

  @Override
  public Future<Void> dropTable(String name, int generation, boolean ifExists) {
    return now(() -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE " + (ifExists ? "IF EXISTS " : "") + ReadModelStore.table(name, generation));
      }
      return null;
    });
  }

  @Override
  public Future<Boolean> movePosition(String name, int generation, long from, long to) {
    return now(() -> {
      PreparedStatement update = prepared(connection, MOVE_POSITION);
      update.setString(1, name);
      update.setInt(2, generation);
      update.setLong(3, from);
      update.setLong(4, to);
      return update.executeUpdate() > 0;
    });
  }

  @Override
  public Future<Void> writeRows(String name, int generation, long position, Map<String, String> bodies) {
    String table = ReadModelStore.table(name, generation);
    String upsertRow = "INSERT INTO " + table + " (id, body, position)"
        + " VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body, position = excluded.position";
    String deleteRow = "DELETE FROM " + table + " WHERE id = ?";
    return now(() -> {
      for (Map.Entry<String, String> row : bodies.entrySet()) {
        if (row.getValue() == null) {
          PreparedStatement delete = prepared(connection, deleteRow);
          delete.setString(1, row.getKey());
          delete.executeUpdate();
        } else {
          PreparedStatement upsert = prepared(connection, upsertRow);
          upsert.setString(1, row.getKey());
          upsert.setString(2, row.getValue());
          upsert.setLong(3, position);
          upsert.executeUpdate();
        }
      }
      return null;
    });
  }

  @Override
  public Future<Void> rebuildBegun(ProjectionState state) {
    return now(() -> {
      PreparedStatement update = prepared(connection, BEGIN_REBUILD);
      update.setInt(1, state.rebuild().orElseThrow().generation());
      update.setString(2, state.name());
      update.executeUpdate();
      return null;
    });
  }

  @Override
  public Future<Void> serve(ProjectionState state) {
    return now(() -> {
      PreparedStatement update = prepared(connection, SERVE);
      update.setInt(1, state.generation());
      update.setLong(2, state.position());
      update.setString(3, state.name());
      update.executeUpdate();
      return null;
    });
  }
}
