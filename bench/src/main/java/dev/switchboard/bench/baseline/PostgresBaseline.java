package dev.switchboard.bench.baseline;

import dev.switchboard.bench.Result;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw ceiling of the PostgreSQL store: rows of our events' shape (and their outbox rows)
 * appended straight through vertx-pg-client, a batch per transaction ({@code executeBatch}), with
 * several writers at once and nothing else: no ordering lock, no validation, no consumers.
 */
public final class PostgresBaseline {

  private final int batch;
  private final int writers;

  public PostgresBaseline(int batch, int writers) {
    this.batch = batch;
    this.writers = writers;
  }

  public Result run(String uri, Duration duration) throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(writers))
        .connectingTo(PgConnectOptions.fromUri(uri)).using(vertx).build();
    try {
      await(pool.query("""
          CREATE TABLE IF NOT EXISTS baseline_events (position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            stream_id TEXT NOT NULL, version BIGINT NOT NULL, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
            subject TEXT NOT NULL, envelope JSON NOT NULL, UNIQUE (stream_id, version))""").execute());
      await(pool.query("CREATE TABLE IF NOT EXISTS baseline_outbox (position BIGINT PRIMARY KEY)").execute());
      AtomicLong rows = new AtomicLong();
      long started = System.nanoTime();
      long until = started + duration.toNanos();
      List<Future<Void>> loops = new ArrayList<>();
      JsonObject envelope = SampleRows.envelope();
      for (int i = 0; i < writers; i++) {
        loops.add(loop(pool, envelope, until, rows));
      }
      await(Future.all(loops));
      double perSecond = rows.get() / ((System.nanoTime() - started) / 1e9);
      return new Result("baseline: PostgreSQL batched appends (vertx-pg-client)", "rows", perSecond,
          new JsonObject().put("batch", batch).put("writers", writers));
    } finally {
      await(pool.query("DROP TABLE IF EXISTS baseline_outbox, baseline_events").execute());
      await(pool.close());
      await(vertx.close());
    }
  }

  private Future<Void> loop(Pool pool, JsonObject envelope, long until, AtomicLong rows) {
    if (System.nanoTime() >= until) {
      return Future.succeededFuture();
    }
    List<Tuple> batchRows = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      String subject = SampleRows.newId();
      batchRows.add(Tuple.of("orders/" + subject, 1L, SampleRows.newId(), "OrderPlaced", subject, envelope));
    }
    return pool.withTransaction(connection -> connection.preparedQuery("""
            INSERT INTO baseline_events (stream_id, version, event_id, type, subject, envelope)
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING position""").executeBatch(batchRows)
        .compose(inserted -> {
          List<Tuple> positions = new ArrayList<>(batch);
          for (var rowSet = inserted; rowSet != null; rowSet = rowSet.next()) {
            rowSet.forEach(row -> positions.add(Tuple.of(row.getLong(0))));
          }
          return connection.preparedQuery("INSERT INTO baseline_outbox (position) VALUES ($1)").executeBatch(positions);
        }))
        .compose(done -> {
          rows.addAndGet(batch);
          return loop(pool, envelope, until, rows);
        });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }
}
