package dev.switchboard.stores.postgres;

import io.vertx.pgclient.PgConnectOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Creates and migrates the PostgreSQL schema at start, with Flyway: versioned, forward-only SQL
 * files under {@code db/postgres} ({@code V1__events.sql}, {@code V2__…}), recorded in
 * {@code flyway_schema_history}.
 *
 * <ul>
 *   <li>Never half applied: on PostgreSQL Flyway runs each migration, and its history row, in one
 *       transaction, and PostgreSQL's DDL is transactional, so a failing migration rolls back whole.</li>
 *   <li>Nodes starting together do not race: Flyway takes a PostgreSQL advisory lock around
 *       migrating, so one node migrates and the others then find nothing left to do.</li>
 *   <li>A database migrated by a newer build (a version this build does not know) is refused and
 *       left untouched, as the embedded store does: this build cannot know what the newer schema means.</li>
 *   <li>An applied migration that was edited afterwards (checksum mismatch) is refused too.</li>
 * </ul>
 *
 * <p>Flyway speaks JDBC, so this blocks: it runs once, on a worker thread ({@code executeBlocking}).
 */
final class PostgresSchema {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresSchema.class);

  /** Where the store's migrations are, on the classpath. */
  static final String LOCATION = "classpath:db/postgres";

  private PostgresSchema() {
  }

  /** Migrates the database to the newest version this build knows; returns that version. */
  static String migrate(PgConnectOptions options, int connectTimeoutMillis) {
    return migrate(options, connectTimeoutMillis, LOCATION);
  }

  static String migrate(PgConnectOptions options, int connectTimeoutMillis, String location) {
    Flyway flyway = Flyway.configure(PostgresSchema.class.getClassLoader())
        .dataSource(jdbcUrl(options, connectTimeoutMillis), options.getUser(), options.getPassword())
        .locations(location)
        .failOnMissingLocations(true)
        // no patterns: an applied migration unknown to this build (a newer one) fails validation
        .ignoreMigrationPatterns(new String[0])
        .validateMigrationNaming(true)
        .mixed(false)
        .group(false)
        .load();
    refuseNewer(flyway);
    MigrateResult result = flyway.migrate();
    String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    LOG.info("PostgreSQL store schema at version {} ({} migration(s) applied now) on {}:{}/{}", version,
        result.migrationsExecuted, options.getHost(), options.getPort(), options.getDatabase());
    return version;
  }

  /** A database migrated by a newer build: say so plainly, before Flyway's validation refuses it. */
  private static void refuseNewer(Flyway flyway) {
    MigrationInfo[] all = flyway.info().all();
    List<String> unknown = Arrays.stream(all)
        .filter(migration -> migration.getState() == MigrationState.FUTURE_SUCCESS
            || migration.getState() == MigrationState.FUTURE_FAILED)
        .map(migration -> String.valueOf(migration.getVersion()))
        .toList();
    if (!unknown.isEmpty()) {
      String known = Arrays.stream(all)
          .filter(migration -> migration.getState().isResolved())
          .map(migration -> String.valueOf(migration.getVersion()))
          .reduce((first, second) -> second)
          .orElse("none");
      throw new IllegalStateException("the database is at schema version " + unknown.get(unknown.size() - 1)
          + ", newer than this build knows (" + known + "): refusing to touch it");
    }
  }

  /** The JDBC URL of the same database as the Vert.x connect options (Flyway needs JDBC). */
  static String jdbcUrl(PgConnectOptions options, int connectTimeoutMillis) {
    String host = options.getHost();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]"; // IPv6 literal
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("connectTimeout", Integer.toString(Math.max(1, (connectTimeoutMillis + 999) / 1000)));
    parameters.put("ApplicationName", "switchboard-migrations");
    String searchPath = options.getProperties().get("search_path");
    if (searchPath != null) {
      parameters.put("currentSchema", searchPath);
    }
    // the same checks as the store's other connections: verify-full here too, never a laxer default
    parameters.putAll(PostgresTls.of(options).jdbcParameters());
    return "jdbc:postgresql://" + host + ":" + options.getPort() + "/" + encode(options.getDatabase()) + "?"
        + parameters.entrySet().stream()
        .map(parameter -> parameter.getKey() + "=" + encode(parameter.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
