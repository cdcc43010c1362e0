package dev.switchboard.runtime.store.postgres;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresStoreSettingsTest {

  @Test
  void a_missing_section_or_key_takes_its_default() {
    PostgresStoreSettings defaults = PostgresStoreSettings.from(null);

    assertThat(defaults).isEqualTo(PostgresStoreSettings.from(new JsonObject()));
    assertThat(defaults.uri()).isEqualTo("postgresql://postgres@127.0.0.1:5432/test");
    assertThat(defaults.poolSize()).isEqualTo(8);
    assertThat(defaults.connectTimeoutMillis()).isEqualTo(5_000);
    assertThat(defaults.statementTimeoutMillis()).isEqualTo(10_000);
    assertThat(defaults.maxBatch()).isEqualTo(256);
    assertThat(defaults.writeQueue()).isEqualTo(10_000);
    assertThat(defaults.poolWaitQueue()).isEqualTo(10_000);
  }

  @Test
  void every_key_is_read_from_the_section() {
    PostgresStoreSettings settings = PostgresStoreSettings.from(new JsonObject()
        .put("uri", "postgresql://app:secret@db.example:6543/orders")
        .put("poolSize", 3).put("connectTimeoutMillis", 1_000).put("statementTimeoutMillis", 2_000)
        .put("maxBatch", 50).put("writeQueue", 500).put("poolWaitQueue", 20));

    assertThat(settings).isEqualTo(new PostgresStoreSettings("postgresql://app:secret@db.example:6543/orders",
        3, 1_000, 2_000, 50, 500, 20));
  }

  @Test
  void the_connections_carry_the_statement_timeout_and_the_uri() {
    PgConnectOptions options = PostgresStoreSettings.from(new JsonObject()
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
    PostgresStoreSettings settings = PostgresStoreSettings.from(new JsonObject()
        .put("uri", "postgresql://app@db.example:6543/orders?search_path=switchboard").put("connectTimeoutMillis", 2_500));

    assertThat(PostgresSchema.jdbcUrl(settings.connectOptions(), settings.connectTimeoutMillis()))
        .isEqualTo("jdbc:postgresql://db.example:6543/orders?connectTimeout=3&ApplicationName=switchboard-migrations"
            + "&currentSchema=switchboard");
  }

  @Test
  void a_typo_in_the_uri_is_refused_without_showing_the_password() {
    for (String typo : List.of("postgresql://app:s3cret@db.example:54x2/orders",
        "postgresql://app:s3cret@db example/orders", "postgresq://app:s3cret@db.example/orders")) {
      Throwable refused = catchThrowable(() -> PostgresStoreSettings.from(new JsonObject().put("uri", typo)));
      if (refused != null) {
        assertThat(refused).hasNoCause();
        assertThat(refused.getMessage()).as(typo).doesNotContain("s3cret");
      }
    }
    PostgresStoreSettings settings = PostgresStoreSettings.from(new JsonObject()
        .put("uri", "postgresql://app:s3cret@db.example:6543/orders"));
    assertThat(settings.toString()).doesNotContain("s3cret").contains("app:***@db.example:6543/orders");
  }

  @Test
  void a_uri_that_is_not_a_postgresql_uri_or_a_bound_that_is_not_positive_is_refused() {
    assertThatThrownBy(() -> PostgresStoreSettings.from(new JsonObject().put("uri", "mysql://x@y/z")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.postgres.uri");
    assertThatThrownBy(() -> PostgresStoreSettings.from(new JsonObject().put("uri", " ")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.postgres.uri");
    assertThatThrownBy(() -> PostgresStoreSettings.from(new JsonObject().put("maxBatch", 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.postgres.maxBatch");
  }
}
