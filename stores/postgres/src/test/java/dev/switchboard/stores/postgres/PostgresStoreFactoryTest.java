package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.StoreFactory;
import dev.switchboard.runtime.testing.DefaultConfig;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static dev.switchboard.runtime.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PostgreSQL store is found on the class path by {@code store.type=postgres}; a setting it cannot
 * take fails the opening before any connection is made (opening a real one: {@code PostgresEventStoreIT}).
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresStoreFactoryTest {

  @Test
  void store_type_postgres_is_this_store() {
    assertThat(StoreFactory.of("postgres")).isInstanceOf(PostgresStoreFactory.class);
  }

  @Test
  void an_invalid_setting_fails_the_opening_naming_the_key(Vertx vertx) {
    Throwable refused = failure(StoreFactory.of("postgres").open(vertx, TestStores.schemas(),
        DefaultConfig.section(new JsonObject().put("uri", "mysql://root@127.0.0.1/shop"), "store", "postgres")));

    assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store.postgres.uri");
  }
}
