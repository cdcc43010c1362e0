package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.ExactJson;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.ServingGenerations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read-model tables in PostgreSQL ({@code read_<name>_<generation>}, {@code id TEXT, body JSONB}),
 * written through the store's writer so that rows and position commit together. DDL is
 * transactional in PostgreSQL: a switch of generations and the drop of the old table are one commit.
 */
final class PostgresReadModels implements ReadModelStore {

  private static final String SELECT_STATE = """
      SELECT name, generation, position, rebuild_generation, rebuild_position FROM projections""";
  private static final String UNDEFINED_TABLE = "42P01";

  private final PostgresEventStore store;
  private final ServingGenerations serving = new ServingGenerations(this);

  PostgresReadModels(PostgresEventStore store) {
    this.store = store;
  }

  @Override
  public Future<ProjectionState> register(String name) {
    try {
      ReadModelStore.checkName(name);
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    return store.write(tx -> tx.connection()
        .preparedQuery("INSERT INTO projections (name, generation, position) VALUES ($1, 1, 0) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(name))
        .compose(inserted -> lockedState(tx.connection(), name))
        .compose(state -> createTable(tx.connection(), name, state.generation())
            .compose(v -> state.rebuild().isPresent()
                ? createTable(tx.connection(), name, state.rebuild().get().generation())
                : Future.succeededFuture())
            .map(state)));
  }

  @Override
  public Future<Optional<ProjectionState>> state(String name) {
    return store.read(pool -> pool.preparedQuery(SELECT_STATE + " WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> states(rows).stream().findFirst()));
  }

  @Override
  public Future<List<ProjectionState>> states() {
    return store.read(pool -> pool.query(SELECT_STATE + " ORDER BY name").execute().map(PostgresReadModels::states));
  }

  @Override
  public Future<Optional<JsonObject>> row(String name, String id) {
    return serving.read(name, generation -> row(name, generation, id));
  }

  @Override
  public Future<List<JsonObject>> recentRows(String name, int limit) {
    return recent(name, "", Tuple.of(limit));
  }

  @Override
  public Future<List<JsonObject>> recentRowsWhere(String name, String field, String value, int limit) {
    try {
      ReadModelStore.checkField(field);
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    return recent(name, " WHERE body ->> $2 = $3", Tuple.of(limit, field, value));
  }

  private Future<List<JsonObject>> recent(String name, String where, Tuple arguments) {
    return serving.read(name, generation -> {
      String sql = "SELECT body::text FROM " + ReadModelStore.table(name, generation) + where
          + " ORDER BY position DESC, id LIMIT $1";
      return store.read(pool -> pool.preparedQuery(sql).execute(arguments)
          .recover(failure -> Future.failedFuture(movedIfDropped(failure, name, generation)))
          .map(rows -> {
            List<JsonObject> bodies = new ArrayList<>(rows.size());
            rows.forEach(row -> bodies.add(ExactJson.parse(row.getString(0))));
            return bodies;
          }));
    });
  }

  @Override
  public Future<Optional<JsonObject>> row(String name, int generation, String id) {
    String sql = "SELECT body::text FROM " + ReadModelStore.table(name, generation) + " WHERE id = $1";
    return store.read(pool -> pool.preparedQuery(sql).execute(Tuple.of(id))
        .recover(failure -> Future.failedFuture(movedIfDropped(failure, name, generation)))
        .map(rows -> rows.size() == 0
            ? Optional.<JsonObject>empty()
            : Optional.of(ExactJson.parse(rows.iterator().next().getString(0)))));
  }

  @Override
  public Future<Map<String, JsonObject>> rows(String name, int generation, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    // a lookup by primary key per id, which no plan cached on a small table can turn into a scan
    // (the LIMIT keeps the subquery from being merged into a join, which could)
    String sql = "SELECT wanted.id, found.body::text FROM unnest($1::text[]) AS wanted(id)"
        + " CROSS JOIN LATERAL (SELECT body FROM " + ReadModelStore.table(name, generation)
        + " WHERE id = wanted.id LIMIT 1) AS found";
    return store.read(pool -> pool.preparedQuery(sql).execute(Tuple.of((Object) ids.toArray(String[]::new)))
        .recover(failure -> Future.failedFuture(movedIfDropped(failure, name, generation)))
        .map(rows -> {
          Map<String, JsonObject> found = new HashMap<>();
          rows.forEach(row -> found.put(row.getString(0), ExactJson.parse(row.getString(1))));
          return found;
        }));
  }

  @Override
  public Future<Void> apply(String name, int generation, long fromPosition, long toPosition,
                            Map<String, JsonObject> rows) {
    String table = ReadModelStore.table(name, generation);
    return store.write(PostgresWriter.pipelined(tx -> {
      Future<RowSet<Row>> moved = tx.execute("""
              UPDATE projections SET
                position = CASE WHEN generation = $2 THEN $4 ELSE position END,
                rebuild_position = CASE WHEN rebuild_generation = $2 THEN $4 ELSE rebuild_position END,
                updated_at = now()
              WHERE name = $1 AND ((generation = $2 AND position = $3)
                                OR (rebuild_generation = $2 AND rebuild_position = $3))""",
          Tuple.of(name, generation, fromPosition, toPosition));
      // sent along before the answer: if the projection moved, the work fails and its rows are rolled back
      Future<Void> written = writeRows(tx, table, toPosition, rows);
      return moved.compose(updated -> {
        if (updated.rowCount() == 0) {
          return Future.failedFuture(ProjectionMoved.notAt(name, generation, fromPosition));
        }
        return written;
      });
    }));
  }

  @Override
  public Future<ProjectionState> beginRebuild(String name) {
    try {
      ReadModelStore.checkName(name);
    } catch (IllegalArgumentException invalid) {
      return Future.failedFuture(invalid);
    }
    return store.write(tx -> lockedState(tx.connection(), name).compose(state -> {
      if (state.rebuilding()) {
        return Future.succeededFuture(state);
      }
      ProjectionState begun = state.withRebuildBegun();
      int next = begun.rebuild().orElseThrow().generation();
      String table = ReadModelStore.table(name, next);
      return tx.connection().query("DROP TABLE IF EXISTS " + table).execute()
          .compose(v -> createTable(tx.connection(), name, next))
          .compose(v -> tx.connection().preparedQuery("""
                  UPDATE projections SET rebuild_generation = $2, rebuild_position = 0, updated_at = now()
                  WHERE name = $1""")
              .execute(Tuple.of(name, next)))
          .map(v -> begun);
    }));
  }

  @Override
  public Future<ProjectionState> finishRebuild(String name, int generation) {
    return store.write(tx -> lockedState(tx.connection(), name).compose(state -> {
      ProjectionState finished = state.withRebuildFinished(generation);
      return tx.connection().preparedQuery("""
              UPDATE projections SET generation = $2, position = $3, rebuild_generation = NULL,
                rebuild_position = NULL, updated_at = now()
              WHERE name = $1""")
          .execute(Tuple.of(name, finished.generation(), finished.position()))
          .compose(v -> tx.connection().query("DROP TABLE " + ReadModelStore.table(name, state.generation())).execute())
          .map(v -> finished);
    })).onSuccess(serving::switched);
  }

  @Override
  public Future<Long> head() {
    long newest = store.recentEvents().newest();
    if (newest > 0) {
      return Future.succeededFuture(newest);
    }
    return store.read(pool -> pool.query("SELECT coalesce(max(position), 0) FROM events").execute()
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  private static Future<ProjectionState> lockedState(SqlConnection connection, String name) {
    return connection.preparedQuery(SELECT_STATE + " WHERE name = $1 FOR UPDATE").execute(Tuple.of(name))
        .map(rows -> states(rows).stream().findFirst()
            .orElseThrow(() -> ProjectionMoved.noProjection(name)));
  }

  private static Future<Void> createTable(SqlConnection connection, String name, int generation) {
    String table = ReadModelStore.table(name, generation);
    return connection.query("CREATE TABLE IF NOT EXISTS " + table
            + " (id TEXT PRIMARY KEY, body JSONB NOT NULL, position BIGINT NOT NULL)").execute()
        .compose(v -> connection.query("CREATE INDEX IF NOT EXISTS " + table + "_by_position ON " + table
            + " (position)").execute())
        .mapEmpty();
  }

  private static Throwable movedIfDropped(Throwable failure, String name, int generation) {
    return UNDEFINED_TABLE.equals(PostgresFailures.sqlState(failure))
        ? ProjectionMoved.noGeneration(name, generation)
        : failure;
  }

  private static Future<Void> writeRows(PostgresWriter.Tx tx, String table, long position,
                                        Map<String, JsonObject> rows) {
    List<String> upsertIds = new ArrayList<>();
    List<String> upsertBodies = new ArrayList<>();
    List<Tuple> deletes = new ArrayList<>();
    rows.forEach((id, body) -> {
      if (body == null) {
        deletes.add(Tuple.of(id));
      } else {
        upsertIds.add(id);
        upsertBodies.add(body.encode());
      }
    });
    // the rows of a batch in one statement from arrays (the ids are a map's keys: each row once)
    Future<?> upserted = upsertIds.isEmpty() ? Future.succeededFuture() : tx.execute(
        "INSERT INTO " + table + " (id, body, position)"
            + " SELECT id, body::jsonb, $3 FROM unnest($1::text[], $2::text[]) AS changed(id, body)"
            + " ON CONFLICT (id) DO UPDATE SET body = excluded.body, position = excluded.position",
        Tuple.of(upsertIds.toArray(String[]::new), upsertBodies.toArray(String[]::new), position));
    Future<?> deleted = deletes.isEmpty() ? Future.succeededFuture() : tx.executeBatch(
        "DELETE FROM " + table + " WHERE id = $1", deletes);
    return upserted.compose(v -> deleted).mapEmpty();
  }

  private static List<ProjectionState> states(RowSet<Row> rows) {
    List<ProjectionState> states = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Integer rebuildGeneration = row.getInteger(3);
      Optional<ProjectionState.Rebuild> rebuild = rebuildGeneration == null
          ? Optional.empty()
          : Optional.of(new ProjectionState.Rebuild(rebuildGeneration, row.getLong(4)));
      states.add(new ProjectionState(row.getString(0), row.getInteger(1), row.getLong(2), rebuild));
    }
    return states;
  }
}
