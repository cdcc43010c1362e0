package dev.switchboard.runtime.store.embedded;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.EventStoreContractTest;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event store contract on the embedded store (a SQLite file in a temporary folder), and what is its own. */
class SqliteEventStoreTest extends EventStoreContractTest {

  @TempDir
  Path dir;

  @Override
  protected Future<EventStore> openStore(Vertx vertx) {
    return TestStores.embedded(vertx, dir);
  }

  @Test
  void the_store_is_one_file_in_the_configured_folder() {
    assertThat(dir.resolve(TestStores.FILE_NAME)).isRegularFile();
  }

  @Test
  void positions_have_no_gaps_even_where_conflicting_writes_were_rolled_back() {
    List<StoredEvent> stored = new ArrayList<>();
    String order = newOrderId();
    stored.addAll(result(store.commit(startStream(orderPlaced(order)))));
    failure(store.commit(startStream(orderPlaced(order))));
    failure(store.commit(startStream(orderPlaced(order))));
    stored.addAll(result(store.commit(startStream(orderPlaced(newOrderId())))));

    assertThat(positions(stored)).containsExactly(1L, 2L);
    assertThat(positions(allEvents())).containsExactly(1L, 2L);
  }

  @Test
  void a_file_written_by_a_newer_schema_version_is_refused_and_left_untouched() throws Exception {
    result(store.close());
    store = null;
    Path file = dir.resolve("newer.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA user_version = 99");
    }
    EmbeddedStoreSettings settings = new EmbeddedStoreSettings(file.toString(), "NORMAL", 100, 10, 1);
    long size = Files.size(file);

    Throwable refused = failure(SqliteEventStore.open(vertx, TestStores.schemas(), settings));

    assertThat(refused).hasMessageContaining("newer than this build knows");
    assertThat(Files.size(file)).isEqualTo(size);
  }

  @Test
  void the_synchronous_setting_accepts_only_full_or_normal() {
    assertThatThrownBy(() -> new EmbeddedStoreSettings("x.db", "OFF", 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FULL or NORMAL");
  }
}
