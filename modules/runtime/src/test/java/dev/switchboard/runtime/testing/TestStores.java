package dev.switchboard.runtime.testing;

import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * Throw-away event stores for tests: the real embedded store on a file in a test's temporary
 * folder (no mocks), or the real PostgreSQL store on a database of {@link TestPostgres}. Open one per
 * test from a {@code @TempDir}, close it in {@code @AfterEach}. The stores are plugins found on the
 * class path: a module using this declares a test dependency on {@code switchboard-store-embedded}
 * (or {@code -postgres}).
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
    return StoreFactory.of("embedded").open(vertx, schemas(), embeddedSettings(dir));
  }

  /** The settings ({@code store.embedded}) {@link #embedded(Vertx, Path)} uses, for tests that vary one. */
  public static JsonObject embeddedSettings(Path dir) {
    return DefaultConfig.section(new JsonObject().put("path", dir.resolve(FILE_NAME).toString())
        .put("synchronous", "NORMAL"), "store", "embedded");
  }

  /** Opens the PostgreSQL store on {@code database} of the test server, with {@link TestPostgres#settings}. */
  public static Future<EventStore> postgres(Vertx vertx, String database) {
    return StoreFactory.of("postgres").open(vertx, schemas(), TestPostgres.settings(database));
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
