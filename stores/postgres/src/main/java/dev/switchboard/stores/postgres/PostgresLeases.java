package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.Leases;
import dev.switchboard.runtime.store.StoreUnavailable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Leases as PostgreSQL session advisory locks, all held on one connection of this node's own:
 * {@code pg_try_advisory_lock(classid, objid)} with a class id of Switchboard's and a hash of the
 * role. PostgreSQL releases a session's locks when its connection ends, so the roles of a node that
 * died (or lost its connection) free themselves, and the leases here are then reported lost.
 */
final class PostgresLeases implements Leases {

  /** "SWBL": the class id of Switchboard's role locks, apart from the append lock's bigint key. */
  private static final int CLASS_ID = 0x5357_424C;
  /** "SWBP": the class id of the nodes' presence locks. */
  private static final int PRESENCE_CLASS_ID = 0x5357_4250;

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final long timeoutMillis;
  private final Map<String, PostgresLease> held = new ConcurrentHashMap<>();
  private Future<PgConnection> connection;
  /** The connection that holds this node's presence lock, if one does. */
  private PgConnection presentOn;

  PostgresLeases(Vertx vertx, PgConnectOptions options, long timeoutMillis) {
    this.vertx = vertx;
    this.options = options;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public synchronized Future<Optional<Lease>> tryAcquire(String role) {
    if (held.containsKey(role)) {
      return Future.succeededFuture(Optional.empty());
    }
    return connection().compose(open -> open.preparedQuery("SELECT pg_try_advisory_lock($1, $2)")
            .execute(Tuple.of(CLASS_ID, objectId(role))))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(rows -> {
          if (!rows.iterator().next().getBoolean(0)) {
            return Optional.<Lease>empty();
          }
          PostgresLease lease = new PostgresLease(role);
          held.put(role, lease);
          return Optional.<Lease>of(lease);
        })
        .recover(failure -> Future.failedFuture(new StoreUnavailable(
            "the lease on " + role + " could not be taken: " + failure.getMessage(), failure)));
  }

  /**
   * Counts the nodes holding a presence lock on this database, taking this node's own first if its
   * leases' connection does not hold it yet: a session advisory lock of the class
   * {@link #PRESENCE_CLASS_ID} with a random key, gone when the node's connection goes.
   */
  @Override
  public Future<Integer> nodesPresent() {
    return connection().compose(open -> present(open).compose(v -> open.preparedQuery("""
            SELECT count(*) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objsubid = 2
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())""")
            .execute(Tuple.of((long) PRESENCE_CLASS_ID))))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .map(rows -> (int) rows.iterator().next().getLong(0).longValue())
        .recover(failure -> Future.failedFuture(new StoreUnavailable(
            "the nodes present could not be counted: " + failure.getMessage(), failure)));
  }

  /** Takes this node's presence lock on {@code open} once; another random key if one is taken already. */
  private Future<Void> present(PgConnection open) {
    synchronized (this) {
      if (presentOn == open) {
        return Future.succeededFuture();
      }
    }
    int key = ThreadLocalRandom.current().nextInt();
    return open.preparedQuery("SELECT pg_try_advisory_lock($1, $2)").execute(Tuple.of(PRESENCE_CLASS_ID, key))
        .compose(rows -> {
          if (!rows.iterator().next().getBoolean(0)) {
            return present(open);
          }
          synchronized (this) {
            presentOn = open;
          }
          return Future.<Void>succeededFuture();
        });
  }

  /** Closes the connection, which releases every lease of this node at once. */
  synchronized Future<Void> close() {
    held.clear(); // released by the close, not lost
    Future<PgConnection> open = connection;
    connection = null;
    return open == null ? Future.succeededFuture() : open.compose(PgConnection::close).recover(f -> Future.succeededFuture());
  }

  private synchronized Future<PgConnection> connection() {
    if (connection == null || connection.failed()) {
      Future<PgConnection> opening = PgConnection.connect(vertx, options);
      connection = opening;
      opening.onSuccess(open -> open.closeHandler(v -> connectionLost(opening)));
    }
    return connection;
  }

  private synchronized void connectionLost(Future<PgConnection> which) {
    if (connection == which) {
      connection = null;
    }
    held.values().forEach(lease -> lease.lost.tryComplete());
    held.clear();
  }

  private static int objectId(String role) {
    CRC32 crc = new CRC32();
    crc.update(role.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  private final class PostgresLease implements Lease {
    private final String role;
    private final Promise<Void> lost = Promise.promise();

    PostgresLease(String role) {
      this.role = role;
    }

    @Override
    public String role() {
      return role;
    }

    @Override
    public Future<Void> lost() {
      return lost.future();
    }

    @Override
    public Future<Void> release() {
      synchronized (PostgresLeases.this) {
        if (held.remove(role) != this || connection == null) {
          return Future.succeededFuture();
        }
        return connection.compose(open -> open.preparedQuery("SELECT pg_advisory_unlock($1, $2)")
                .execute(Tuple.of(CLASS_ID, objectId(role))))
            .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
            .mapEmpty();
      }
    }
  }
}
