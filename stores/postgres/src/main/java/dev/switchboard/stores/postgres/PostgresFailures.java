package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.InvalidEventData;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.DeadLetterGone;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.RefusedByStore;
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
  /** A statement cancelled: it ran (or waited for a lock) longer than the statement timeout. */
  static final String QUERY_CANCELED = "57014";
  /** A statement after a failed one in the same transaction: ignored, the failure is the earlier statement's. */
  static final String IN_FAILED_TRANSACTION = "25P02";
  /** Class 22: the value itself is wrong for its column (invalid byte sequence, out of range, too long). */
  static final String DATA_EXCEPTION_CLASS = "22";
  /** Class 23: the value breaks a constraint (not null, foreign key, check, exclusion, unique). */
  static final String INTEGRITY_VIOLATION_CLASS = "23";
  /** A value too large for the index that must hold it (a megabyte-long key, say). */
  static final String PROGRAM_LIMIT_EXCEEDED = "54000";

  private PostgresFailures() {
  }

  /**
   * The store's failure for {@code failure}: the store's own failures as they are; a deadlock or
   * serialization failure between nodes as a {@link ConcurrencyConflict} (deciding again and
   * retrying is the cure); a refusal of the values themselves as {@link RefusedByStore} (trying
   * again can never succeed); everything else (connection lost, timeout, pool exhausted) as
   * {@link StoreUnavailable}.
   */
  static Throwable of(Throwable failure) {
    if (failure instanceof ConcurrencyConflict || failure instanceof StaleEvent || failure instanceof DeadLetterGone
        || failure instanceof StoreUnavailable || failure instanceof InvalidEventData
        || failure instanceof ProjectionMoved || failure instanceof RefusedByStore) {
      return failure;
    }
    String state = sqlState(failure);
    // a unique key taken meanwhile is a race lost to another writer: decide again; if it is the
    // event's own doing it keeps failing, and the runner's bound on attempts dead-letters it
    if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state) || UNIQUE_VIOLATION.equals(state)) {
      return new ConcurrencyConflict("a concurrent write on another connection got in the way ("
          + failure.getMessage() + "): decide again and retry");
    }
    if (isRefusalOfTheValues(state)) {
      return new RefusedByStore("PostgreSQL refused the values (SQLSTATE " + state + "): " + failure.getMessage(),
          failure);
    }
    return new StoreUnavailable("the PostgreSQL store failed: " + failure.getMessage(), failure);
  }

  /**
   * Whether the database refused what it was given rather than failed to take it. A unique
   * violation stays out: on our own keys (a stream's version, an event id) it means a concurrent
   * writer won a race, which deciding again resolves (see {@link #of}).
   */
  static boolean isRefusalOfTheValues(String state) {
    if (state == null || UNIQUE_VIOLATION.equals(state)) {
      return false;
    }
    return state.startsWith(DATA_EXCEPTION_CLASS) || state.startsWith(INTEGRITY_VIOLATION_CLASS)
        || PROGRAM_LIMIT_EXCEEDED.equals(state);
  }

  static boolean isUniqueViolation(Throwable failure) {
    return UNIQUE_VIOLATION.equals(sqlState(failure));
  }

  static boolean isCanceled(Throwable failure) {
    return QUERY_CANCELED.equals(sqlState(failure));
  }

  static boolean isTransactionAborted(Throwable failure) {
    return IN_FAILED_TRANSACTION.equals(sqlState(failure));
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
