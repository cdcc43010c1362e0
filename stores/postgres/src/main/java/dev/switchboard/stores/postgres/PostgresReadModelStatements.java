package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.write.ReadModelStatements;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL store's statements for one write to the read models, on the writer's connection.
 * A batch's rows and the move of its position are pipelined like the event store's statements; a
 * write that reads the projection's state first (a rebuild's steps) locks the row ({@code FOR UPDATE},
 * against other nodes) and makes the writer wait for it before the next write sends anything. DDL is
 * transactional in PostgreSQL: a switch of generations and the drop of the old table are one commit.
 */
final class PostgresReadModelStatements implements ReadModelStatements {

  private final PostgresWriter.Tx tx;

  PostgresReadModelStatements(PostgresWriter.Tx tx) {
    this.tx = tx;
  }

  @Override
  public Future<ProjectionState> registered(String name) {
    return tx.connection()
        .preparedQuery("INSERT INTO projections (name, generation, position) VALUES ($1, 1, 0) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(name))
        .compose(inserted -> state(name));
  }

  @Override
  public Future<ProjectionState> state(String name) {
    return tx.connection().preparedQuery(PostgresReadModels.SELECT_STATE + " WHERE name = $1 FOR UPDATE")
        .execute(Tuple.of(name))
        .map(rows -> PostgresReadModels.states(rows).stream().findFirst()
            .orElseThrow(() -> ProjectionMoved.noProjection(name)));
  }

  @Override
  public Future<Void> createTable(String name, int generation) {
    String table = ReadModelStore.table(name, generation);
    return tx.connection().query("CREATE TABLE IF NOT EXISTS " + table
            + " (id TEXT PRIMARY KEY, body JSONB NOT NULL, position BIGINT NOT NULL)").execute()
        .compose(v -> tx.connection().query("CREATE INDEX IF NOT EXISTS " + table + "_by_position ON " + table
            + " (position)").execute())
        .mapEmpty();
  }

  @Override
  public Future<Void> dropTable(String name, int generation, boolean ifExists) {
    return tx.connection().query("DROP TABLE " + (ifExists ? "IF EXISTS " : "") + ReadModelStore.table(name, generation))
        .execute().mapEmpty();
  }

  @Override
  public Future<Boolean> movePosition(String name, int generation, long from, long to) {
    return tx.execute("""
            UPDATE projections SET
              position = CASE WHEN generation = $2 THEN $4 ELSE position END,
              rebuild_position = CASE WHEN rebuild_generation = $2 THEN $4 ELSE rebuild_position END,
              updated_at = now()
            WHERE name = $1 AND ((generation = $2 AND position = $3)
                              OR (rebuild_generation = $2 AND rebuild_position = $3))""",
        Tuple.of(name, generation, from, to)).map(updated -> updated.rowCount() > 0);
  }

  @Override
  public Future<Void> writeRows(String name, int generation, long position, Map<String, String> bodies) {
    String table = ReadModelStore.table(name, generation);
    List<String> upsertIds = new ArrayList<>();
    List<String> upsertBodies = new ArrayList<>();
    List<Tuple> deletes = new ArrayList<>();
    bodies.forEach((id, body) -> {
      if (body == null) {
        deletes.add(Tuple.of(id));
      } else {
        upsertIds.add(id);
        upsertBodies.add(body);
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

  @Override
  public Future<Void> rebuildBegun(ProjectionState state) {
    return tx.connection().preparedQuery("""
            UPDATE projections SET rebuild_generation = $2, rebuild_position = 0, updated_at = now()
            WHERE name = $1""")
        .execute(Tuple.of(state.name(), state.rebuild().orElseThrow().generation()))
        .mapEmpty();
  }

  @Override
  public Future<Void> serve(ProjectionState state) {
    return tx.connection().preparedQuery("""
            UPDATE projections SET generation = $2, position = $3, rebuild_generation = NULL,
              rebuild_position = NULL, updated_at = now()
            WHERE name = $1""")
        .execute(Tuple.of(state.name(), state.generation(), state.position()))
        .mapEmpty();
  }
}
