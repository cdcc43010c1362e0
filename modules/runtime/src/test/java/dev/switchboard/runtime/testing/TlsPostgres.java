package dev.switchboard.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server with TLS on, for the TLS tests: the shared server on 5432 must not be
 * reconfigured, so each test class makes its own cluster ({@code initdb}) in a temporary folder,
 * on a free port of 127.0.0.1, trusting every local user (the tests are about TLS, not passwords).
 *
 * <p>{@link #start(TestCertificates.Issued)} serves with the given certificate; starting again with
 * another restarts the server (a wrong-host certificate, one of an unknown CA). PostgreSQL refuses
 * to run as root: run as root (as the tests do here), the server runs as the {@code postgres} user,
 * which owns the folder and the key file, as PostgreSQL demands.
 *
 * <p>Blocking: call it from a test's own thread.
 */
public final class TlsPostgres implements AutoCloseable {

  private static final String SERVER_USER = "postgres";

  private final Path bin;
  private final Path root;
  private final Path data;
  private final int port;
  private volatile boolean running;
  /** A test run that dies without closing must not leave a PostgreSQL server behind. */
  private final Thread stopOnExit = new Thread(this::stopQuietly, "tls-postgres-stop-on-exit");

  private TlsPostgres(Path bin, Path root, int port) {
    this.bin = bin;
    this.root = root;
    this.data = root.resolve("data");
    this.port = port;
  }

  /** Makes a cluster (not yet running). */
  public static TlsPostgres create() {
    Path bin = findBin();
    try {
      Path root = Files.createTempDirectory("switchboard-tls-pg");
      TlsPostgres server = new TlsPostgres(bin, root, freePort());
      server.handOver(root);
      server.run(List.of(bin.resolve("initdb").toString(), "-D", server.data.toString(), "-U", "postgres",
          "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"));
      Runtime.getRuntime().addShutdownHook(server.stopOnExit);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** The URI of the {@code postgres} database on this server, without TLS parameters. */
  public String uri() {
    return "postgresql://postgres@localhost:" + port + "/postgres";
  }

  /** (Re)starts the server presenting {@code certificate}. */
  public void start(TestCertificates.Issued certificate) {
    stop();
    try {
      // PostgreSQL reads the key only if its owner (the server user) alone may read it
      Path cert = root.resolve("server.crt");
      Path key = root.resolve("server.key");
      Files.copy(certificate.chainPem(), cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(certificate.keyPem(), key, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      handOver(cert);
      handOver(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String options = String.join(" ", "-p", Integer.toString(port), "-c", "listen_addresses=localhost",
        "-c", "unix_socket_directories=" + root, "-c", "ssl=on",
        "-c", "ssl_cert_file=" + root.resolve("server.crt"), "-c", "ssl_key_file=" + root.resolve("server.key"),
        "-c", "fsync=off", "-c", "max_connections=40");
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", root.resolve("server.log").toString(),
        "-w", "-t", "30", "-o", options, "start"));
    running = true;
  }

  public void stop() {
    if (running) {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
      running = false;
    }
  }

  /** Stops the server and deletes its folder. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook is running or has run
    }
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException ignored) {
      // on the way out: nothing more to do
    }
  }

  private void run(List<String> command) {
    List<String> full = new ArrayList<>();
    if (runningAsRoot()) {
      full.addAll(List.of("runuser", "-u", SERVER_USER, "--"));
    }
    full.addAll(command);
    try {
      Process process = new ProcessBuilder(full).redirectErrorStream(true)
          .redirectOutput(root.resolve("commands.log").toFile()).start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " failed: " + Files.readString(root.resolve("commands.log"))
            + (Files.exists(root.resolve("server.log")) ? Files.readString(root.resolve("server.log")) : ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void handOver(Path path) throws IOException {
    if (runningAsRoot()) {
      UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(path, users.lookupPrincipalByName(SERVER_USER));
    }
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static Path findBin() {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(version -> version.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
          .max(Comparator.naturalOrder())
          .orElseThrow(() -> new IllegalStateException("no PostgreSQL binaries under /usr/lib/postgresql"));
    } catch (IOException e) {
      throw new IllegalStateException("no PostgreSQL binaries under /usr/lib/postgresql", e);
    }
  }

  private static int freePort() throws IOException {
    return FreePorts.pick();
  }
}
