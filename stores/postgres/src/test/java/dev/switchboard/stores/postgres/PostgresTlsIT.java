package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.testing.TestCertificates;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.testing.TlsPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS towards PostgreSQL, against a private server with TLS on (made by the test): with
 * {@code verify-full} every connection of the store, the migration's included, checks the
 * certificate's authority and host name.
 */
class PostgresTlsIT {

  @TempDir
  static Path certificates;
  static TestCertificates tls;
  static TlsPostgres server;

  Vertx vertx;

  @BeforeAll
  static void startServer() {
    tls = TestCertificates.in(certificates);
    server = TlsPostgres.create();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  @Test
  @DisplayName("verify-full: the store migrates and opens over TLS, and its connections are encrypted")
  void verifyFullConnects() {
    server.start(tls.localhost());
    PostgresStoreSettings settings = settings("verify-full", tls.caPem());

    EventStore store = result(PostgresEventStore.open(vertx, TestStores.schemas(), settings));
    try {
      assertThat(sslInUse(settings)).isTrue();
    } finally {
      result(store.close());
    }
  }

  @Test
  @DisplayName("sslmode and sslrootcert in the URI are honoured when the settings leave them empty")
  void uriParametersAreHonoured() {
    server.start(tls.localhost());
    PostgresStoreSettings settings = settings("", null)
        .withUri(server.uri() + "?sslmode=verify-full&sslrootcert=" + tls.caPem());

    assertThat(PostgresSchema.migrate(settings.connectOptions(), 5_000)).isNotBlank();
    assertThat(sslInUse(settings)).isTrue();

    server.start(tls.wrongHost());
    assertThatThrownBy(() -> PostgresSchema.migrate(settings.connectOptions(), 5_000))
        .hasStackTraceContaining("hostname localhost could not be verified");
    assertThat(failure(query(settings))).hasMessageContaining("SSL handshake failed"); // verify-ca connects: the host name it is
  }

  @Test
  @DisplayName("verify-full: a certificate for another host is refused by the migration and by the pool")
  void wrongHostIsRefused() {
    server.start(tls.wrongHost());
    PostgresStoreSettings settings = settings("verify-full", tls.caPem());

    assertThatThrownBy(() -> PostgresSchema.migrate(settings.connectOptions(), 5_000))
        .hasStackTraceContaining("hostname localhost could not be verified");
    assertThat(failure(query(settings))).hasMessageContaining("SSL handshake failed"); // verify-ca connects: the host name it is
    assertThat(failure(PostgresEventStore.open(vertx, TestStores.schemas(), settings))).isNotNull();
  }

  @Test
  @DisplayName("verify-full and verify-ca: a certificate of an unknown authority is refused by the migration and by the pool")
  void unknownAuthorityIsRefused() {
    server.start(tls.unknownCa());
    for (String mode : new String[] {"verify-full", "verify-ca", "require"}) {
      PostgresStoreSettings settings = settings(mode, tls.caPem());

      assertThatThrownBy(() -> PostgresSchema.migrate(settings.connectOptions(), 5_000))
          .as(mode).hasStackTraceContaining("PKIX path");
      // vertx-pg-client 5.0.8 says no more than this, without the cause
      assertThat(failure(query(settings))).as(mode).hasMessageContaining("SSL handshake failed");
    }
  }

  @Test
  @DisplayName("verify-ca checks the authority only; require without a root certificate only encrypts")
  void laxerModesDoWhatTheySay() {
    server.start(tls.wrongHost());

    PostgresStoreSettings verifyCa = settings("verify-ca", tls.caPem());
    assertThat(PostgresSchema.migrate(verifyCa.connectOptions(), 5_000)).isNotBlank();
    assertThat(sslInUse(verifyCa)).isTrue();

    PostgresStoreSettings require = settings("require", null);
    assertThat(PostgresSchema.migrate(require.connectOptions(), 5_000)).isNotBlank();
    assertThat(sslInUse(require)).isTrue();
  }

  private static PostgresStoreSettings settings(String sslMode, Path rootCert) {
    return new PostgresStoreSettings(server.uri(), 2, 5_000, 10_000, 256, 100, 100, "", "", 8_192)
        .withTls(sslMode, rootCert == null ? "" : rootCert.toString());
  }

  private boolean sslInUse(PostgresStoreSettings settings) {
    return result(query(settings));
  }

  /** Whether this connection is encrypted, as the server sees it. */
  private io.vertx.core.Future<Boolean> query(PostgresStoreSettings settings) {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(settings.connectOptions())
        .using(vertx).build();
    return pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute()
        .map(rows -> rows.iterator().next().getBoolean(0))
        .eventually(pool::close);
  }
}
