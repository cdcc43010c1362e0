package dev.switchboard.runtime.testing;

import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Throw-away PostgreSQL databases for integration tests ({@code *IT}), on the server of
 * {@code SWITCHBOARD_TEST_POSTGRES} (default {@value #DEFAULT_SERVER}: the local server, user
 * {@code postgres}, trust authentication). Each test gets a database of its own,
 * {@code switchboard_it_<random>}, so that runs never see each other's data; drop it when done.
 *
 * <p>Blocking (JDBC): call it from a test's own thread, never from an event loop.
 */
public final class TestPostgres {

  /** The server, as a URI without a database. */
  public static final String DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432";

  private TestPostgres() {
  }

  public static String server() {
    String configured = System.getenv("SWITCHBOARD_TEST_POSTGRES");
    String server = configured == null || configured.isBlank() ? DEFAULT_SERVER : configured.strip();
    return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  /** The URI of a database on the test server. */
  public static String uri(String database) {
    return server() + "/" + database;
  }

  /** Creates an empty database with a fresh name, and returns the name. */
  public static String createDatabase() {
    String name = "switchboard_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
        .toLowerCase(Locale.ROOT);
    execute("postgres", "CREATE DATABASE " + name);
    return name;
  }

  /** Drops a database, ending whatever connections are still on it. */
  public static void dropDatabase(String name) {
    execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  /**
   * Crashes the local server and starts it again, as a power cut would: an immediate shutdown (no
   * checkpoint, every connection cut), then a start that recovers from the WAL. Only for the server
   * this machine runs ({@code pg_ctlcluster}); returns once it accepts connections again. Every
   * test's database goes away meanwhile: where tests run side by side (the app's integration tests),
   * the caller's class says so ({@code @StopsSharedServices}) and runs alone.
   */
  public static void crashAndRestartLocalServer() {
    if (!server().contains("@127.0.0.1:") && !server().contains("@localhost:")) {
      throw new IllegalStateException("the test server " + server() + " is not this machine's: it cannot be restarted here");
    }
    String[] versions = new java.io.File("/etc/postgresql").list();
    if (versions == null || versions.length != 1) {
      throw new IllegalStateException("expected one PostgreSQL cluster under /etc/postgresql, found "
          + (versions == null ? "none" : java.util.Arrays.toString(versions)));
    }
    run("pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "restart", "-m", "immediate");
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Connection ignored = connect("postgres")) {
        return;
      } catch (SQLException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("PostgreSQL did not accept connections within a minute of its restart", notYet);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static void run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(String.join(" ", command) + " could not run: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The store's settings ({@code store.postgres}) on {@code database}: a small pool, the rest as
   * {@code config/default.json} has it.
   */
  public static JsonObject settings(String database) {
    return DefaultConfig.section(new JsonObject().put("uri", uri(database)).put("poolSize", 4), "store", "postgres");
  }

  /** Runs one statement on {@code database}. */
  public static void execute(String database, String sql) {
    try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run " + sql + " on " + database + ": " + e.getMessage(), e);
    }
  }

  /** The first column of the first row of a query on {@code database}, as a long. */
  public static long queryLong(String database, String sql, Object... parameters) {
    try (Connection connection = connect(database); PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          throw new IllegalStateException("no row from " + sql);
        }
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run " + sql + " on " + database + ": " + e.getMessage(), e);
    }
  }

  /**
   * Ends every other connection to {@code database}, as an operator's
   * {@code pg_terminate_backend} would; returns how many were ended.
   */
  public static long terminateConnections(String database) {
    return queryLong(database, """
        SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()""");
  }

  /** A JDBC connection to {@code database} on the test server (the caller closes it). */
  public static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:" + server().replaceFirst("^postgres(ql)?://([^@/]*)@", "postgresql://")
        + "/" + database, user(), password());
  }

  private static String userInfo() {
    String server = server();
    int at = server.indexOf('@');
    int scheme = server.indexOf("://");
    return at < 0 ? null : server.substring(scheme + 3, at);
  }

  private static String user() {
    String info = userInfo();
    if (info == null) {
      return "postgres";
    }
    int colon = info.indexOf(':');
    return colon < 0 ? info : info.substring(0, colon);
  }

  private static String password() {
    String info = userInfo();
    int colon = info == null ? -1 : info.indexOf(':');
    return colon < 0 ? "" : info.substring(colon + 1);
  }
}
