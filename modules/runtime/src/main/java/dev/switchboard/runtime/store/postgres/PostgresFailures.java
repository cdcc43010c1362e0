package dev.switchboard.runtime.store.postgres;

import dev.switchboard.contracts.InvalidEventData;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.DeadLetterGone;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.StaleEvent;
import dev.switchboard.runtime.store.StoreUnavailable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Turns what the database or the client threw into the store's own failures. */
final class PostgresFailures {

  static final String UNIQUE_VIOLATION = "23505";
  static final String SERIALIZATION_FAILURE = "40001";
  static final String DEADLOCK_DETECTED = "40P01";

  private PostgresFailures() {
  }

  /**
   * The store's failure for {@code failure}: the store's own failures as they are; a deadlock or
   * serialization failure between nodes as a {@link ConcurrencyConflict} (deciding again and
   * retrying is the cure); everything else (connection lost, timeout, pool exhausted) as
   * {@link StoreUnavailable}.
   */
  static Throwable of(Throwable failure) {
    if (failure instanceof ConcurrencyConflict || failure instanceof StaleEvent || failure instanceof DeadLetterGone
        || failure instanceof StoreUnavailable || failure instanceof InvalidEventData
        || failure instanceof ProjectionMoved) {
      return failure;
    }
    String state = sqlState(failure);
    if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state)) {
      return new ConcurrencyConflict("a concurrent write on another connection got in the way ("
          + failure.getMessage() + "): decide again and retry");
    }
    return new StoreUnavailable("the PostgreSQL store failed: " + failure.getMessage(), failure);
  }

  static boolean isUniqueViolation(Throwable failure) {
    return UNIQUE_VIOLATION.equals(sqlState(failure));
  }

  /**
   * The connection went away under the statement (closed, or ended by the server: an operator's
   * {@code pg_terminate_backend}, a restart): a statement that only reads may simply be tried again.
   */
  static boolean isConnectionLost(Throwable failure) {
    if (failure instanceof ClosedConnectionException) {
      return true;
    }
    String state = sqlState(failure);
    if (state != null) {
      return state.startsWith("08") || state.startsWith("57P");
    }
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    return !(failure instanceof TimeoutException) && message.contains("closed");
  }

  static String sqlState(Throwable failure) {
    return failure instanceof PgException pg ? pg.getSqlState() : null;
  }
}
