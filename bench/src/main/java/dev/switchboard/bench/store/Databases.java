package dev.switchboard.bench.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Fresh databases on the PostgreSQL server, one per scenario, so that no scenario reads what another
 * wrote: each is dropped when its scenario ends, and {@link #close()} drops any still there (a run
 * cut short), so it may be called from a shutdown hook.
 */
public final class Databases implements AutoCloseable {

  /** A scenario's work on a database, given its URI. */
  public interface Body {
    void run(String uri) throws Exception;
  }

  private final String server;
  private final Set<String> live = new LinkedHashSet<>();

  /** @param server a PostgreSQL URI without a database, {@code postgresql://postgres@host:port} */
  public Databases(String server) {
    this.server = server;
  }

  /** Runs {@code body} on a database of its own, dropped afterwards whatever happened. */
  public void with(Body body) throws Exception {
    String database = "switchboard_bench_" + System.currentTimeMillis();
    execute("CREATE DATABASE " + database);
    synchronized (this) {
      live.add(database);
    }
    try {
      body.run(server + "/" + database);
    } finally {
      drop(database);
    }
  }

  @Override
  public synchronized void close() {
    for (String database : Set.copyOf(live)) {
      try {
        drop(database);
      } catch (SQLException e) {
        System.err.println("could not drop database " + database + ": " + e);
      }
    }
  }

  private synchronized void drop(String database) throws SQLException {
    // FORCE: a node that failed may still hold connections to it
    execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    live.remove(database);
  }

  private void execute(String sql) throws SQLException {
    String jdbc = "jdbc:" + server.replace("postgresql://postgres@", "postgresql://") + "/postgres?user=postgres";
    try (Connection connection = DriverManager.getConnection(jdbc); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
