package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/** The embedded store's folder and files are readable by the owner only (on a POSIX file system). */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OwnerOnlyFilesTest {

  @TempDir
  Path dir;

  @Test
  void the_folder_it_makes_the_database_and_its_wal_and_shm_are_the_owners_only(Vertx vertx) throws Exception {
    Path folder = dir.resolve("data");
    EventStore store = result(SqliteEventStore.open(vertx, TestStores.schemas(),
        new EmbeddedStoreSettings(folder.resolve("switchboard.db").toString(), "NORMAL", 100, 16, 1, 8_192)));
    try {
      result(store.commit(startStream(orderPlaced(newOrderId()))));

      assertThat(permissions(folder)).isEqualTo("rwx------");
      assertThat(permissions(folder.resolve("switchboard.db"))).isEqualTo("rw-------");
      assertThat(permissions(folder.resolve("switchboard.db-wal"))).isEqualTo("rw-------");
      assertThat(permissions(folder.resolve("switchboard.db-shm"))).isEqualTo("rw-------");
    } finally {
      result(store.close());
    }
  }

  @Test
  void a_database_left_readable_by_an_older_run_is_tightened_on_opening(Vertx vertx) throws Exception {
    EventStore first = result(TestStores.embedded(vertx, dir));
    result(first.close());
    Path database = dir.resolve(TestStores.FILE_NAME);
    Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));

    EventStore reopened = result(TestStores.embedded(vertx, dir));
    try {
      assertThat(permissions(database)).isEqualTo("rw-------");
    } finally {
      result(reopened.close());
    }
  }

  private static String permissions(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
