package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.ExactJson;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.ServingGenerations;
import dev.switchboard.runtime.store.write.ReadModelStatements;
import dev.switchboard.runtime.store.write.ReadModelWrites;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Read-model tables in PostgreSQL ({@code read_<name>_<generation>}, {@code id TEXT, body JSONB}):
 * the reads, here; the writes, the runtime's ({@link ReadModelWrites}) with this store's statements
 * ({@link PostgresReadModelStatements}) on its writer, so that rows and position commit together.
 */
final class PostgresReadModels implements ReadModelStore {

  static final String SELECT_STATE = """
      SELECT name, generation, position, rebuild_generation, rebuild_position FROM projections""";
  private static final String UNDEFINED_TABLE = "42P01";

  private final PostgresEventStore store;
  private final ServingGenerations serving = new ServingGenerations(this);
  private final ReadModelWrites writes;

  PostgresReadModels(PostgresEventStore store) {
    this.store = store;
    this.writes = new ReadModelWrites(this::written);
  }

  /** One write of the runtime's, on the store's writer with this store's statements. */
  private <T> Future<T> written(Function<ReadModelStatements, Future<T>> statements) {
    return store.write(PostgresWriter.pipelined(tx -> statements.apply(new PostgresReadModelStatements(tx))));
  }

  @Override
  public Future<ProjectionState> register(String name) {
    return writes.register(name);
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

  /**
   * The rows of a read model's table with the ids $1: a lookup by primary key per id, which no plan
   * cached on a small table can turn into a scan (the LIMIT keeps the subquery from being merged into
   * a join, which could).
   */
  static String selectRows(String table) {
    return "SELECT wanted.id, found.body::text FROM unnest($1::text[]) AS wanted(id)"
        + " CROSS JOIN LATERAL (SELECT body FROM " + table + " WHERE id = wanted.id LIMIT 1) AS found";
  }

  @Override
  public Future<Map<String, JsonObject>> rows(String name, int generation, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String sql = selectRows(ReadModelStore.table(name, generation));
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
    return store.read(pool -> pool.query("SELECT coalesce(max(position), 0) FROM events").execute()
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  private static Throwable movedIfDropped(Throwable failure, String name, int generation) {
    return UNDEFINED_TABLE.equals(PostgresFailures.sqlState(failure))
        ? ProjectionMoved.noGeneration(name, generation)
        : failure;
  }

  static List<ProjectionState> states(RowSet<Row> rows) {
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
