package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.testing.TestPostgres;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema is created and migrated by the store at open: versioned, forward-only, never half applied. */
class PostgresSchemaIT extends PostgresTestSupport {

  private static final String MIGRATIONS = "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL";
  /** The migrations this build ships (src/main/resources/db/postgres). */
  private static final int SHIPPED = 8;

  @Test
  void a_fresh_database_is_migrated_to_the_newest_version_with_each_migration_recorded() {
    open();

    assertThat(TestPostgres.queryLong(database, MIGRATIONS)).isEqualTo(SHIPPED);
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM flyway_schema_history WHERE version IN ('1', '2', '3', '4', '5', '6', '7', '8') AND success")).isEqualTo(SHIPPED);
    assertThat(TestPostgres.queryLong(database, """
        SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN
          ('events', 'inbox', 'inbox_reach', 'inbox_reach_by_node', 'checkpoints', 'consumer_streams', 'documents',
           'dead_letters', 'projections')"""))
        .isEqualTo(9);
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'outbox'")).as("the log is the outbox")
        .isZero();
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM pg_indexes WHERE indexname IN ('inbox_by_time', 'dead_letters_by_event')"))
        .as("old inbox entries are found by their time, dead letters by their event").isEqualTo(2);
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM pg_indexes WHERE indexname = 'documents_by_expiry'"))
        .as("expired documents are found by their expiry").isEqualTo(1);
  }

  @Test
  void opening_a_migrated_database_again_applies_nothing_and_keeps_the_data() {
    PostgresEventStore first = open();
    result(first.commit(startStream(orderPlaced(newOrderId()))));
    result(first.close());

    open();

    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(SHIPPED);
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM events")).isEqualTo(1);
  }

  @Test
  void nodes_starting_together_migrate_the_database_once() {
    List<Future<EventStore>> opening = new ArrayList<>();
    for (int node = 0; node < 4; node++) {
      opening.add(PostgresEventStore.open(vertx, TestStores.schemas(), PostgresStoreSettings.from(TestPostgres.settings(database))));
    }
    try {
      result(Future.all(opening));
      assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(SHIPPED);
    } finally {
      opening.stream().filter(Future::succeeded).forEach(store -> result(store.result().close()));
    }
  }

  @Test
  void a_database_migrated_by_a_newer_build_is_refused_and_left_untouched() {
    result(open().close());
    TestPostgres.execute(database, """
        INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
          installed_by, execution_time, success)
        VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'postgres', 1, true)""");

    Throwable refused = failure(PostgresEventStore.open(vertx, TestStores.schemas(), PostgresStoreSettings.from(TestPostgres.settings(database))));

    assertThat(refused).hasMessageContaining("newer than this build knows").hasMessageContaining("99");
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM flyway_schema_history")).isEqualTo(SHIPPED + 1);
  }

  @Test
  void a_migration_that_fails_half_way_is_rolled_back_whole_and_not_recorded_as_applied() {
    PostgresStoreSettings settings = PostgresStoreSettings.from(TestPostgres.settings(database));

    assertThatThrownBy(() -> PostgresSchema.migrate(settings.connectOptions(), 5_000, "classpath:db/postgres-it-broken"))
        .hasMessageContaining("V2");

    // the first migration stands; nothing of the second one does
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'base_table'")).isEqualTo(1);
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'")).isZero();
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'base_table' AND column_name = 'added'"))
        .isZero();
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM flyway_schema_history WHERE success"))
        .isEqualTo(1);
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM flyway_schema_history WHERE version = '2' AND success")).isZero();
  }

  private static final String THREE_EVENTS = """
      INSERT INTO events (stream_id, version, event_id, type, subject, envelope)
      VALUES ('s-1', 1, 'e-1', 'OrderPlaced', 'o', '{}'), ('s-2', 1, 'e-2', 'OrderPlaced', 'o', '{}'),
             ('s-3', 1, 'e-3', 'OrderPlaced', 'o', '{}')""";

  /** The database as a build that shipped migrations up to {@code version} left it, with {@code statements} run on it. */
  private void migratedUpTo(String version, String... statements) {
    PostgresStoreSettings settings = PostgresStoreSettings.from(TestPostgres.settings(database));
    Flyway.configure(PostgresSchemaIT.class.getClassLoader())
        .dataSource(PostgresSchema.jdbcUrl(settings.connectOptions(), 5_000), settings.connectOptions().getUser(),
            settings.connectOptions().getPassword())
        .locations(PostgresSchema.LOCATION).target(version).load().migrate();
    for (String statement : statements) {
      TestPostgres.execute(database, statement);
    }
  }

  @Test
  void a_consumer_that_handled_events_before_its_inbox_reach_was_kept_looks_in_its_inbox_up_to_the_head() {
    migratedUpTo("4", THREE_EVENTS);
    long head = TestPostgres.queryLong(database, "SELECT max(position) FROM events");
    TestPostgres.execute(database, "INSERT INTO inbox (consumer, event_id) VALUES ('mailer', 'e-1')");

    PostgresEventStore store = open();

    assertThat(result(store.handledUpTo("mailer"))).as("any event up to the head may be in its inbox").isEqualTo(head);
    assertThat(result(store.handledUpTo("auditor"))).as("its inbox holds nothing").isZero();
  }

  @Test
  void a_consumer_reach_kept_in_one_row_before_rows_per_node_counts_and_nodes_of_that_release_go_on_raising_it() {
    migratedUpTo("5", THREE_EVENTS, "INSERT INTO inbox_reach (consumer, position) VALUES ('mailer', 2)");

    PostgresEventStore store = open();
    assertThat(result(store.handledUpTo("mailer"))).isEqualTo(2);

    TestPostgres.execute(database,
        "INSERT INTO inbox_reach_by_node (consumer, node, position) VALUES ('mailer', 'this', 2), ('mailer', 'other', 3)");
    assertThat(result(store.handledUpTo("mailer"))).as("the highest of its nodes' rows").isEqualTo(3);
    // a node of the previous release, running beside, raises the one row as it did
    TestPostgres.execute(database, """
        INSERT INTO inbox_reach (consumer, position) VALUES ('mailer', 4)
        ON CONFLICT (consumer) DO UPDATE SET position = excluded.position WHERE inbox_reach.position < excluded.position""");
    assertThat(result(store.handledUpTo("mailer"))).as("the higher of the two tables").isEqualTo(4);
    result(store.close());
    open();
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM inbox_reach_by_node WHERE consumer = 'mailer'"))
        .as("a row that another exceeds is deleted at start").isEqualTo(1);
  }

  @Test
  void a_database_whose_outbox_held_unpublished_events_has_the_relay_start_before_the_oldest_of_them() {
    migratedUpTo("3", THREE_EVENTS);
    long second = TestPostgres.queryLong(database, "SELECT position FROM events WHERE event_id = 'e-2'");
    TestPostgres.execute(database, "INSERT INTO outbox (position) SELECT position FROM events WHERE event_id <> 'e-1'");

    PostgresEventStore store = open();

    assertThat(result(store.checkpoint("outbox-relay"))).isEqualTo(second - 1);
    assertThat(TestPostgres.queryLong(database,
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'outbox'")).isZero();
  }
}
