package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.EventStoreContractTest;
import dev.switchboard.runtime.testing.TestPostgres;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The event store contract, unchanged, on PostgreSQL: every test on a fresh database of its own on
 * the local server ({@link TestPostgres}), dropped when the class is done.
 */
class PostgresEventStoreIT extends EventStoreContractTest {

  private static final List<String> DATABASES = Collections.synchronizedList(new ArrayList<>());

  /** This test's database: created at the first open, opened again by later ones. */
  private String database;

  @Override
  protected Future<EventStore> openStore(Vertx vertx) {
    if (database == null) {
      database = TestPostgres.createDatabase();
      DATABASES.add(database);
    }
    return PostgresEventStore.open(vertx, TestStores.schemas(), PostgresStoreSettings.from(TestPostgres.settings(database)));
  }

  @Override
  protected long inboxRows() {
    return TestPostgres.queryLong(database, "SELECT count(*) FROM inbox");
  }

  @Override
  protected void putInInboxAsAnEarlierBuild(String consumer, String eventId) {
    TestPostgres.execute(database, "INSERT INTO inbox (consumer, event_id) VALUES ('" + consumer + "', '" + eventId
        + "')");
  }

  @AfterAll
  static void dropTheDatabases() {
    List<String> created;
    synchronized (DATABASES) {
      created = List.copyOf(DATABASES);
      DATABASES.clear();
    }
    created.forEach(TestPostgres::dropDatabase);
  }
}
