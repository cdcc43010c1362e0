package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans a connection caches for the store's lookups of a batch by key stay lookups by key as
 * the tables grow. The store's statements are prepared once per connection, and PostgreSQL keeps a
 * generic plan made while the tables were empty and never analyzed (autovacuum off, as on this
 * project's CI server, or not yet come by) until the next analyze: a shape it may answer by
 * hashing or filtering every row of a table does so on every call, a cost that grows with the table
 * without bound.
 */
class PostgresPlansIT extends PostgresTestSupport {

  /** A batch as large as the runtime sends: the planner weighs a hash or a scan against this many lookups. */
  private static final int BATCH = 256;

  @Test
  void asking_which_events_of_a_batch_a_consumer_handled_looks_each_up_by_key() throws SQLException {
    open();
    assertEachLookedUpByKey(PostgresSql.SELECT_HANDLED_AMONG,
        "'payments', " + texts("event") + ", " + texts("order") + ", " + sequences(),
        Map.of("inbox", "event_id", "consumer_streams", "stream_id"));
  }

  @Test
  void reading_the_streams_of_a_batch_looks_each_up_by_key() throws SQLException {
    open();
    assertEachLookedUpByKey(PostgresSql.SELECT_STREAMS, texts("order"), Map.of("events", "stream_id"));
  }

  @Test
  void reading_the_documents_of_a_batch_looks_each_up_by_key() throws SQLException {
    open();
    assertEachLookedUpByKey(PostgresSql.SELECT_DOCUMENTS, texts("stock") + ", " + texts("sku"),
        Map.of("documents", "id"));
  }

  @Test
  void reading_the_rows_of_a_batch_from_a_read_model_looks_each_up_by_key() throws SQLException {
    ProjectionState registered = result(open().readModels().register("orders"));
    String table = ReadModelStore.table("orders", registered.generation());
    assertEachLookedUpByKey(PostgresReadModels.selectRows(table), texts("order"), Map.of(table, "id"));
  }

  /**
   * Plans the statement on the store's fresh tables (empty, never analyzed), generic (as a connection
   * caches it) and custom, and checks that each table it reads is read by an index on the key, once
   * per wanted row.
   *
   * @param keys each table the statement reads, and the key column each of its rows is found by
   */
  private void assertEachLookedUpByKey(String sql, String arguments, Map<String, String> keys) throws SQLException {
    try (Connection connection = TestPostgres.connect(database); Statement statement = connection.createStatement()) {
      statement.execute("PREPARE lookup AS " + sql);
      for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
        statement.execute("SET plan_cache_mode = " + mode);
        List<JsonObject> scans = scansOf(explain(statement, "EXECUTE lookup(" + arguments + ")"), keys.keySet());

        assertThat(scans).as(mode + ": each table is read").hasSameSizeAs(keys.keySet());
        for (JsonObject scan : scans) {
          String lookup = scan.getString("Index Cond", scan.getString("Recheck Cond", ""));
          assertThat(lookup).as(mode + ": looked up by its key: " + scan.encode())
              .contains(keys.get(scan.getString("Relation Name")));
          assertThat(scan.getString("Parent Relationship")).as(mode + ": probed once per wanted row, never hashed: "
              + scan.encode()).isNotEqualTo("SubPlan");
        }
      }
    }
  }

  private static JsonObject explain(Statement statement, String sql) throws SQLException {
    try (ResultSet plan = statement.executeQuery("EXPLAIN (FORMAT JSON) " + sql)) {
      plan.next();
      return new JsonArray(plan.getString(1)).getJsonObject(0).getJsonObject("Plan");
    }
  }

  /** The nodes of the plan that read one of the tables, wherever they are in it. */
  private static List<JsonObject> scansOf(JsonObject node, Set<String> tables) {
    List<JsonObject> scans = new ArrayList<>();
    if (tables.contains(node.getString("Relation Name", ""))) {
      scans.add(node);
    }
    JsonArray children = node.getJsonArray("Plans", new JsonArray());
    for (int i = 0; i < children.size(); i++) {
      scans.addAll(scansOf(children.getJsonObject(i), tables));
    }
    return scans;
  }

  private static String texts(String prefix) {
    return IntStream.range(0, BATCH).mapToObj(i -> prefix + "-" + i)
        .collect(Collectors.joining(",", "'{", "}'::text[]"));
  }

  private static String sequences() {
    return IntStream.rangeClosed(1, BATCH).mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "'{", "}'::bigint[]"));
  }
}
