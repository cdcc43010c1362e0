package dev.switchboard.runtime.testing;

import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.embedded.EmbeddedStoreSettings;
import dev.switchboard.runtime.store.embedded.SqliteEventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;

/**
 * Throw-away event stores for tests: the real embedded store on a file in a test's temporary
 * folder (no mocks). Open one per test from a {@code @TempDir}, close it in {@code @AfterEach}.
 *
 * <pre>{@code
 * @TempDir Path dir;
 * EventStore store = Await.result(TestStores.embedded(vertx, dir));
 * }</pre>
 */
public final class TestStores {

  /** The name of the store file inside the folder given to {@link #embedded(Vertx, Path)}. */
  public static final String FILE_NAME = "switchboard-test.db";

  private static volatile EventSchemas schemas;

  private TestStores() {
  }

  /**
   * Opens the embedded (SQLite) store on {@value #FILE_NAME} in {@code dir}, creating it when missing,
   * validating events against the published schemas, with {@code synchronous=NORMAL} (a test needs
   * no power-loss safety). Opening it again on the same folder opens the same data.
   */
  public static Future<EventStore> embedded(Vertx vertx, Path dir) {
    return SqliteEventStore.open(vertx, schemas(), settings(dir));
  }

  /** The settings {@link #embedded(Vertx, Path)} uses, for tests that vary one of them. */
  public static EmbeddedStoreSettings settings(Path dir) {
    return new EmbeddedStoreSettings(dir.resolve(FILE_NAME).toString(), "NORMAL", 10_000, 256, 4);
  }

  /** The schemas of the event catalog, loaded once per test JVM. */
  public static EventSchemas schemas() {
    EventSchemas loaded = schemas;
    if (loaded == null) {
      synchronized (TestStores.class) {
        loaded = schemas;
        if (loaded == null) {
          loaded = EventSchemas.load();
          schemas = loaded;
        }
      }
    }
    return loaded;
  }
}
