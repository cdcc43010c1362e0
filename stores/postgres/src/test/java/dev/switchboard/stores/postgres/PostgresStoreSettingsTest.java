package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresStoreSettingsTest {

  @Test
  void the_default_configuration_gives_these_settings_and_a_missing_key_is_named() {
    JsonObject section = DefaultConfig.section(new JsonObject(), "store", "postgres");
    PostgresStoreSettings defaults = PostgresStoreSettings.from(section);

    assertThat(defaults.uri()).isEqualTo("postgresql://postgres@127.0.0.1:5432/test");
    assertThat(defaults.poolSize()).isEqualTo(8);
    assertThat(defaults.connectTimeoutMillis()).isEqualTo(5_000);
    assertThat(defaults.statementTimeoutMillis()).isEqualTo(10_000);
    assertThat(defaults.maxBatch()).isEqualTo(256);
    assertThat(defaults.writeQueue()).isEqualTo(10_000);
    assertThat(defaults.poolWaitQueue()).isEqualTo(10_000);
    assertThat(defaults.recentEvents()).isEqualTo(8_192);
    for (String key : section.fieldNames()) {
      JsonObject without = section.copy();
      without.remove(key);
      assertThatThrownBy(() -> PostgresStoreSettings.from(without)).as(key)
          .hasMessage("store.postgres." + key + " is missing (config/default.json gives every key its default)");
    }
  }

  @Test
  void every_key_is_read_from_the_section() {
    PostgresStoreSettings settings = settingsFrom(new JsonObject()
        .put("uri", "postgresql://app:secret@db.example:6543/orders")
        .put("poolSize", 3).put("connectTimeoutMillis", 1_000).put("statementTimeoutMillis", 2_000)
        .put("maxBatch", 50).put("writeQueue", 500).put("poolWaitQueue", 20));

    assertThat(settings).isEqualTo(new PostgresStoreSettings("postgresql://app:secret@db.example:6543/orders",
        3, 1_000, 2_000, 50, 500, 20, "", "", 8_192));
  }

  @Test
  void the_connections_carry_the_statement_timeout_and_the_uri() {
    PgConnectOptions options = settingsFrom(new JsonObject()
        .put("uri", "postgresql://app:secret@db.example:6543/orders").put("statementTimeoutMillis", 2_500))
        .connectOptions();

    assertThat(options.getHost()).isEqualTo("db.example");
    assertThat(options.getPort()).isEqualTo(6543);
    assertThat(options.getDatabase()).isEqualTo("orders");
    assertThat(options.getUser()).isEqualTo("app");
    assertThat(options.getPassword()).isEqualTo("secret");
    assertThat(options.getProperties())
        .containsEntry("statement_timeout", "2500")
        .containsEntry("idle_in_transaction_session_timeout", "2500")
        .containsEntry("application_name", "switchboard");
  }

  @Test
  void flyway_connects_to_the_same_database_over_jdbc() {
    PostgresStoreSettings settings = settingsFrom(new JsonObject()
        .put("uri", "postgresql://app@db.example:6543/orders?search_path=switchboard").put("connectTimeoutMillis", 2_500));

    assertThat(PostgresSchema.jdbcUrl(settings.connectOptions(), settings.connectTimeoutMillis()))
        .isEqualTo("jdbc:postgresql://db.example:6543/orders?connectTimeout=3&ApplicationName=switchboard-migrations"
            + "&currentSchema=switchboard");
  }

  @Test
  void a_typo_in_the_uri_is_refused_without_showing_the_password() {
    for (String typo : List.of("postgresql://app:s3cret@db.example:54x2/orders",
        "postgresql://app:s3cret@db example/orders", "postgresq://app:s3cret@db.example/orders")) {
      Throwable refused = catchThrowable(() -> settingsFrom(new JsonObject().put("uri", typo)));
      if (refused != null) {
        assertThat(refused).hasNoCause();
        assertThat(refused.getMessage()).as(typo).doesNotContain("s3cret");
      }
    }
    PostgresStoreSettings settings = settingsFrom(new JsonObject()
        .put("uri", "postgresql://app:s3cret@db.example:6543/orders"));
    assertThat(settings.toString()).doesNotContain("s3cret").contains("app:***@db.example:6543/orders");
  }

  @Test
  void a_uri_that_is_not_a_postgresql_uri_or_a_bound_that_is_not_positive_is_refused() {
    assertThatThrownBy(() -> settingsFrom(new JsonObject().put("uri", "mysql://x@y/z")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.postgres.uri");
    assertThatThrownBy(() -> settingsFrom(new JsonObject().put("uri", " ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.postgres.uri");
    assertThatThrownBy(() -> settingsFrom(new JsonObject().put("maxBatch", 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.postgres.maxBatch");
  }

  @Test
  void a_typo_in_the_uri_is_refused_without_its_password() {
    for (String typo : new String[] {"postgresql://app:s3cret@db.example:54x2/orders",
        "postgresql://app:s3cret@db.example:5432/orders?sslmode", "postgresql://app:s3:cret@db.example/orders",
        "postgresql://app@db.example/orders?password=s3cret&sslmode"}) {
      assertThatThrownBy(() -> settingsFrom(new JsonObject().put("uri", typo)))
          .as(typo)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("store.postgres.uri")
          .hasNoCause()
          .satisfies(refused -> assertThat(refused.toString()).doesNotContain("s3cret").doesNotContain("cret@"));
    }
  }

  @Test
  void the_settings_show_everything_but_the_password() {
    PostgresStoreSettings settings = settingsFrom(new JsonObject()
        .put("uri", "postgresql://app:s3cret@db.example:6543/orders"));

    assertThat(settings.toString()).contains("db.example:6543/orders").doesNotContain("s3cret");
    assertThat(settings.redactedUri()).isEqualTo("postgresql://app:***@db.example:6543/orders");
  }

  @Test
  void verify_full_from_the_settings_checks_the_host_on_every_connection_the_migration_included(@TempDir Path dir)
      throws IOException {
    String rootCert = Files.writeString(dir.resolve("db-ca.pem"), "").toString();
    PostgresStoreSettings settings = settingsFrom(new JsonObject()
        .put("uri", "postgresql://app@db.example:6543/orders").put("sslMode", "verify-full")
        .put("sslRootCert", rootCert));

    PgConnectOptions options = settings.connectOptions();
    assertThat(options.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(options.getSslOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(((PemTrustOptions) options.getSslOptions().getTrustOptions()).getCertPaths())
        .containsExactly(rootCert);
    assertThat(PostgresSchema.jdbcUrl(options, 5_000))
        .contains("sslmode=verify-full").contains("sslrootcert=" + URLEncoder.encode(rootCert, StandardCharsets.UTF_8));
  }

  @Test
  void the_uri_s_sslmode_and_sslrootcert_apply_unless_the_settings_say_otherwise(@TempDir Path dir) throws IOException {
    String rootCert = Files.writeString(dir.resolve("ca.pem"), "").toString();
    String uri = "postgresql://app@db.example/orders?sslmode=require&sslrootcert=" + rootCert;

    PgConnectOptions fromUri = settingsFrom(new JsonObject().put("uri", uri)).connectOptions();
    PgConnectOptions overridden = settingsFrom(new JsonObject().put("uri", uri)
        .put("sslMode", "verify-full")).connectOptions();

    // a root certificate makes require check the authority, as libpq does
    assertThat(fromUri.getSslMode()).isEqualTo(SslMode.VERIFY_CA);
    assertThat(fromUri.getSslOptions().getHostnameVerificationAlgorithm()).isEmpty();
    assertThat(overridden.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
    assertThat(PostgresSchema.jdbcUrl(fromUri, 5_000)).contains("sslmode=verify-ca");
  }

  @Test
  void without_a_root_certificate_require_only_encrypts_and_verify_full_trusts_the_jvm_s_authorities() {
    PgConnectOptions require = settingsFrom(new JsonObject().put("sslMode", "require")).connectOptions();
    PgConnectOptions verifyFull = settingsFrom(new JsonObject().put("sslMode", "verify-full"))
        .connectOptions();

    assertThat(require.getSslOptions().isTrustAll()).isTrue();
    assertThat(PostgresSchema.jdbcUrl(require, 5_000)).contains("sslmode=require").doesNotContain("sslrootcert");
    assertThat(verifyFull.getSslOptions().getTrustOptions()).isNotNull();
    assertThat(PostgresSchema.jdbcUrl(verifyFull, 5_000))
        .contains("sslmode=verify-full").contains("sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
  }

  @Test
  void an_unknown_ssl_mode_is_refused() {
    assertThatThrownBy(() -> settingsFrom(new JsonObject().put("sslMode", "verify_full")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.postgres.sslMode");
  }

  /** {@code store.postgres} as a node reads it: {@code config/default.json}'s, with the test's on top. */
  private static PostgresStoreSettings settingsFrom(JsonObject overrides) {
    return PostgresStoreSettings.from(DefaultConfig.section(overrides, "store", "postgres"));
  }
}
