package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.EventStore;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded store is found on the class path by {@code store.type=embedded}, opened from its own settings. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EmbeddedStoreFactoryTest {

  @TempDir
  Path dir;

  @Test
  void store_type_embedded_opens_a_sqlite_file_at_the_configured_path(Vertx vertx) {
    Path file = dir.resolve("shop").resolve("events.db");
    EventStore store = result(StoreFactory.of("embedded").open(vertx, TestStores.schemas(),
        DefaultConfig.section(new JsonObject().put("path", file.toString()), "store", "embedded")));
    try {
      String orderId = newOrderId();
      result(store.commit(startStream(orderPlaced(orderId))));

      assertThat(store).isInstanceOf(SqliteEventStore.class);
      assertThat(file).exists();
      assertThat(result(store.readSubject(orderId))).hasSize(1);
    } finally {
      result(store.close());
    }
  }

  @Test
  void an_invalid_setting_fails_the_opening_naming_the_key(Vertx vertx) {
    Throwable refused = failure(StoreFactory.of("embedded").open(vertx, TestStores.schemas(),
        DefaultConfig.section(new JsonObject().put("path", dir.resolve("x.db").toString()).put("synchronous", "SOMETIMES"),
            "store", "embedded")));

    assertThat(refused).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("store.embedded.synchronous");
  }

  @Test
  void an_unknown_store_type_is_refused_naming_the_stores_on_the_class_path() {
    assertThatThrownBy(() -> StoreFactory.of("cassandra"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("store.type \"cassandra\" is unknown")
        .hasMessageContaining("embedded");
  }
}
