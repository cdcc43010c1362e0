package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.EventStoreContractTest;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.TestPostgres;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event store contract, unchanged, on PostgreSQL: every test on a fresh database of its own on
 * the local server ({@link TestPostgres}), dropped when the class is done; and what is its own.
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

  @Test
  void consuming_the_log_writes_no_inbox_row_and_consuming_from_a_broker_does() {
    List<StoredEvent> log = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      log.addAll(result(store.commit(startStream(orderPlaced(newOrderId())))));
    }
    result(store.commitConsumed("mailer", log.get(0), UnitOfWork.NOTHING));
    result(store.commitConsumedTogether("mailer", log.subList(1, 3), UnitOfWork.NOTHING));
    result(store.deadLetter(letterFor("mailer", log.get(3), "boom", 1)));
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM inbox"))
        .as("the log's events are known handled by their streams").isZero();

    result(store.commitConsumed("mailer", new StoredEvent(0, orderPlaced(newOrderId())), UnitOfWork.NOTHING));
    result(store.commitConsumedTogether("mailer", List.of(new StoredEvent(0, orderPlaced(newOrderId()))),
        UnitOfWork.NOTHING));
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM inbox")).isEqualTo(2);
    assertThat(result(store.handledAmong("mailer", log))).hasSize(4);
  }

  @Test
  void an_inbox_row_an_earlier_release_wrote_for_an_event_of_the_log_still_marks_it_handled() {
    // earlier releases put every event a consumer handled, or dead-lettered, in its inbox, and the
    // dead-lettered ones not in their streams
    StoredEvent event = result(store.commit(startStream(orderPlaced(newOrderId())))).get(0);
    TestPostgres.execute(database, "INSERT INTO inbox (consumer, event_id) VALUES ('mailer', '" + event.id() + "')");

    assertThat(result(store.isHandled("mailer", event))).isTrue();
    assertThat(result(store.isHandled("auditor", event))).isFalse();
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
