package dev.switchboard.runtime.store.postgres;

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

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final long timeoutMillis;
  private final Map<String, PostgresLease> held = new ConcurrentHashMap<>();
  private Future<PgConnection> connection;

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
