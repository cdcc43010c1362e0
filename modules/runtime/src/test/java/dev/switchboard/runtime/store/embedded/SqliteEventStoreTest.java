package dev.switchboard.runtime.store.embedded;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.EventStoreContractTest;
import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  private EmbeddedStoreSettings oneReader() {
    EmbeddedStoreSettings settings = TestStores.settings(dir);
    return new EmbeddedStoreSettings(settings.path(), settings.synchronous(), settings.writeQueue(),
        settings.maxBatch(), 1);
  }

  @Test
  void a_reader_whose_cached_statement_names_a_dropped_generation_keeps_answering_that_it_moved() {
    result(store.close());
    store = result(SqliteEventStore.open(vertx, TestStores.schemas(), oneReader()));
    ReadModelStore models = store.readModels();
    result(models.register("views"));
    result(models.apply("views", 1, 0, 1, Map.of("o-1", new JsonObject().put("v", "old"))));
    assertThat(result(models.row("views", 1, "o-1"))).isPresent();
    result(models.beginRebuild("views"));
    result(models.apply("views", 2, 0, 1, Map.of("o-1", new JsonObject().put("v", "new"))));
    result(models.finishRebuild("views", 2));

    assertThat(failure(models.row("views", 1, "o-1"))).isInstanceOf(ProjectionMoved.class);
    assertThat(failure(models.row("views", 1, "o-1"))).as("asked again").isInstanceOf(ProjectionMoved.class);
    assertThat(result(models.row("views", "o-1"))).contains(new JsonObject().put("v", "new"));
  }

  @Test
  void closing_the_store_closes_every_connection_so_sqlite_folds_the_wal_back_into_the_file() {
    result(store.commit(startStream(orderPlaced(newOrderId()))));
    Path wal = dir.resolve(TestStores.FILE_NAME + "-wal");
    assertThat(wal).exists();

    result(store.close());
    store = null;

    assertThat(wal).doesNotExist();
  }

  @Test
  void the_synchronous_setting_accepts_only_full_or_normal() {
    assertThatThrownBy(() -> new EmbeddedStoreSettings("x.db", "OFF", 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FULL or NORMAL");
  }
}
