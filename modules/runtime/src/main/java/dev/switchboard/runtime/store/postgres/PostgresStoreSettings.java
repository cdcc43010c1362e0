package dev.switchboard.runtime.store.postgres;

import io.vertx.core.json.JsonObject;
import dev.switchboard.runtime.logging.LogValues;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Settings of the PostgreSQL store ({@code store.postgres.*}).
 *
 * @param uri                    the database, e.g. {@code postgresql://postgres@127.0.0.1:5432/test}
 *                               (user, password, host, port, database; {@code sslmode},
 *                               {@code search_path} and {@code application_name} as query parameters)
 * @param poolSize               connections for reads (the writer has one more of its own)
 * @param connectTimeoutMillis   how long opening a connection, or waiting for a free pooled one, may take
 * @param statementTimeoutMillis PostgreSQL's {@code statement_timeout} for every statement of the
 *                               store (also the bound on waiting for the append lock held by
 *                               another node) and its {@code idle_in_transaction_session_timeout}
 * @param maxBatch               writes committed together in one transaction at most (group commit)
 * @param writeQueue             writes that may wait for the writer before new ones are refused
 * @param poolWaitQueue          reads that may wait for a free connection before new ones are refused
 */
public record PostgresStoreSettings(
    String uri, int poolSize, int connectTimeoutMillis, int statementTimeoutMillis, int maxBatch, int writeQueue,
    int poolWaitQueue) {

  public static final String DEFAULT_URI = "postgresql://postgres@127.0.0.1:5432/test";

  /** Reads the {@code store.postgres} section; a missing section or key takes its default. */
  public static PostgresStoreSettings from(JsonObject postgres) {
    JsonObject section = postgres == null ? new JsonObject() : postgres;
    return new PostgresStoreSettings(
        section.getString("uri", DEFAULT_URI),
        section.getInteger("poolSize", 8),
        section.getInteger("connectTimeoutMillis", 5_000),
        section.getInteger("statementTimeoutMillis", 10_000),
        section.getInteger("maxBatch", 256),
        section.getInteger("writeQueue", 10_000),
        section.getInteger("poolWaitQueue", 10_000));
  }

  public PostgresStoreSettings {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("store.postgres.uri is required, e.g. " + DEFAULT_URI);
    }
    try {
      PgConnectOptions.fromUri(uri);
    } catch (RuntimeException e) {
      // the client's message quotes the URI, password and all: redacted, and the cause left out, since
      // a stack trace would print its message again
      throw new IllegalArgumentException("store.postgres.uri is not a PostgreSQL connection URI ("
          + LogValues.redact(e.getMessage()) + "), e.g. " + DEFAULT_URI);
    }
    positive("poolSize", poolSize);
    positive("connectTimeoutMillis", connectTimeoutMillis);
    positive("statementTimeoutMillis", statementTimeoutMillis);
    positive("maxBatch", maxBatch);
    positive("writeQueue", writeQueue);
    positive("poolWaitQueue", poolWaitQueue);
  }

  /** The same settings on another database URI (tests, tools). */
  public PostgresStoreSettings withUri(String otherUri) {
    return new PostgresStoreSettings(otherUri, poolSize, connectTimeoutMillis, statementTimeoutMillis, maxBatch,
        writeQueue, poolWaitQueue);
  }

  /** The same settings with another group-commit bound. */
  public PostgresStoreSettings withMaxBatch(int otherMaxBatch) {
    return new PostgresStoreSettings(uri, poolSize, connectTimeoutMillis, statementTimeoutMillis, otherMaxBatch,
        writeQueue, poolWaitQueue);
  }

  /** How the store's connections connect: the URI, the timeouts, prepared statements cached. */
  PgConnectOptions connectOptions() {
    PgConnectOptions options = PgConnectOptions.fromUri(uri)
        .setCachePreparedStatements(true)
        .addProperty("statement_timeout", Integer.toString(statementTimeoutMillis))
        .addProperty("idle_in_transaction_session_timeout", Integer.toString(statementTimeoutMillis))
        // "relation already exists, skipping" and its kind are not worth a warning in our logs
        .addProperty("client_min_messages", "warning");
    String applicationName = options.getProperties().get("application_name");
    if (applicationName == null || applicationName.equals(PgConnectOptions.DEFAULT_PROPERTIES.get("application_name"))) {
      options.addProperty("application_name", "switchboard");
    }
    return options;
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("store.postgres." + key + " must be positive, was " + value);
    }
  }

  /** The settings as a log line may show them: the URI without its password. */
  @Override
  public String toString() {
    return "PostgresStoreSettings[uri=" + LogValues.uri(uri) + ", poolSize=" + poolSize + ", connectTimeoutMillis="
        + connectTimeoutMillis + ", statementTimeoutMillis=" + statementTimeoutMillis + ", maxBatch=" + maxBatch
        + ", writeQueue=" + writeQueue + ", poolWaitQueue=" + poolWaitQueue + "]";
  }
}
