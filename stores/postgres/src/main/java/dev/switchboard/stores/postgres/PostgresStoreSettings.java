package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.config.ConfigSection;
import dev.switchboard.runtime.logging.LogValues;
import io.vertx.core.json.JsonObject;
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
 * @param sslMode                TLS towards the server, libpq's modes ({@code disable} … {@code verify-full});
 *                               empty: the URI's {@code sslmode}, else {@code disable} (see {@link PostgresTls})
 * @param sslRootCert            the PEM file of the authorities the server's certificate must chain to;
 *                               empty: the URI's {@code sslrootcert}, else the JVM's default authorities
 * @param recentEvents           committed events of this node's kept in memory, from which readers of the
 *                               log that keep up are served without a query (see
 *                               {@link dev.switchboard.runtime.store.RecentEvents}); 0 keeps none
 */
public record PostgresStoreSettings(
    String uri, int poolSize, int connectTimeoutMillis, int statementTimeoutMillis, int maxBatch, int writeQueue,
    int poolWaitQueue, String sslMode, String sslRootCert, int recentEvents) {

  /** What a URI looks like, for the errors that refuse one. */
  private static final String EXAMPLE_URI = "postgresql://postgres@127.0.0.1:5432/test";

  /** Reads {@code store.postgres}, every key of it ({@code config/default.json} gives each its default). */
  public static PostgresStoreSettings from(JsonObject postgres) {
    ConfigSection section = ConfigSection.of("store.postgres", postgres);
    return new PostgresStoreSettings(
        section.text("uri"),
        section.integer("poolSize"),
        section.integer("connectTimeoutMillis"),
        section.integer("statementTimeoutMillis"),
        section.integer("maxBatch"),
        section.integer("writeQueue"),
        section.integer("poolWaitQueue"),
        section.text("sslMode"),
        section.text("sslRootCert"),
        section.integer("recentEvents"));
  }

  public PostgresStoreSettings {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("store.postgres.uri is required, e.g. " + EXAMPLE_URI);
    }
    try {
      PgConnectOptions.fromUri(uri);
    } catch (RuntimeException e) {
      // the parser's messages quote the URI, password included: redact, and leave its exception out
      String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      throw new IllegalArgumentException("store.postgres.uri is not a PostgreSQL connection URI ("
          + LogValues.redact(reason) + "), e.g. " + EXAMPLE_URI);
    }
    sslMode = sslMode == null ? "" : sslMode.strip();
    sslRootCert = sslRootCert == null ? "" : sslRootCert.strip();
    tls(uri, sslMode, sslRootCert); // an unknown mode fails here, at start
    positive("poolSize", poolSize);
    positive("connectTimeoutMillis", connectTimeoutMillis);
    positive("statementTimeoutMillis", statementTimeoutMillis);
    positive("maxBatch", maxBatch);
    positive("writeQueue", writeQueue);
    positive("poolWaitQueue", poolWaitQueue);
    if (recentEvents < 0) {
      throw new IllegalArgumentException("store.postgres.recentEvents must not be negative, was " + recentEvents);
    }
  }

  /** The same settings on another database URI (tests, tools). */
  public PostgresStoreSettings withUri(String otherUri) {
    return new PostgresStoreSettings(otherUri, poolSize, connectTimeoutMillis, statementTimeoutMillis, maxBatch,
        writeQueue, poolWaitQueue, sslMode, sslRootCert, recentEvents);
  }

  /** The same settings with another group-commit bound. */
  public PostgresStoreSettings withMaxBatch(int otherMaxBatch) {
    return new PostgresStoreSettings(uri, poolSize, connectTimeoutMillis, statementTimeoutMillis, otherMaxBatch,
        writeQueue, poolWaitQueue, sslMode, sslRootCert, recentEvents);
  }

  /** The same settings with TLS options of their own. */
  public PostgresStoreSettings withTls(String otherSslMode, String otherSslRootCert) {
    return new PostgresStoreSettings(uri, poolSize, connectTimeoutMillis, statementTimeoutMillis, maxBatch,
        writeQueue, poolWaitQueue, otherSslMode, otherSslRootCert, recentEvents);
  }

  /** The database for logs and error messages: the URI without its password. */
  public String redactedUri() {
    return LogValues.redact(uri);
  }

  /** Everything but the password. */
  @Override
  public String toString() {
    return "PostgresStoreSettings[uri=" + redactedUri() + ", poolSize=" + poolSize + ", connectTimeoutMillis="
        + connectTimeoutMillis + ", statementTimeoutMillis=" + statementTimeoutMillis + ", maxBatch=" + maxBatch
        + ", writeQueue=" + writeQueue + ", poolWaitQueue=" + poolWaitQueue + ", sslMode=" + sslMode
        + ", sslRootCert=" + sslRootCert + ", recentEvents=" + recentEvents + "]";
  }

  /** TLS towards the server: these settings, else the URI's parameters. */
  PostgresTls tls() {
    return tls(uri, sslMode, sslRootCert);
  }

  private static PostgresTls tls(String uri, String sslMode, String sslRootCert) {
    return PostgresTls.of(sslMode, sslRootCert, uri);
  }

  /** How the store's connections connect: the URI, TLS, the timeouts, prepared statements cached. */
  PgConnectOptions connectOptions() {
    PgConnectOptions options = tls().applyTo(PgConnectOptions.fromUri(uri))
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
}
