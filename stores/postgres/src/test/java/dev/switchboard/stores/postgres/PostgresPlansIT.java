package dev.switchboard.stores.postgres;

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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans a connection caches for the store's lookups by key stay lookups by key as the tables
 * grow. The store's statements are prepared once per connection, and PostgreSQL keeps a generic plan
 * made while the tables were empty and never analyzed (autovacuum off, as on this project's CI
 * server, or not yet come by) until the next analyze: a shape it can answer by hashing every row of
 * a consumer's inbox then does so on every call, a cost that grows with the inbox without bound.
 */
class PostgresPlansIT extends PostgresTestSupport {

  /** A consumer's batch as large as the runtime sends: the planner weighs a hash against this many lookups. */
  private static final int BATCH = 256;

  @Test
  void asking_which_events_of_a_batch_a_consumer_handled_looks_up_each_by_key_in_the_plan_cached_on_empty_tables()
      throws SQLException {
    open(); // creates the schema; its tables are empty and were never analyzed
    try (Connection connection = TestPostgres.connect(database); Statement statement = connection.createStatement()) {
      statement.execute("PREPARE handled_among AS " + PostgresSql.SELECT_HANDLED_AMONG);
      for (String mode : List.of("force_generic_plan", "force_custom_plan")) {
        statement.execute("SET plan_cache_mode = " + mode);
        List<JsonObject> scans = scansOf(explain(statement, "EXECUTE handled_among('payments', " + textArray("event")
            + ", " + textArray("order") + ", " + sequences() + ")"), List.of("inbox", "consumer_streams"));

        assertThat(scans).as(mode + ": the inbox and the consumer's streams are read").hasSize(2);
        for (JsonObject scan : scans) {
          String key = scan.getString("Relation Name").equals("inbox") ? "event_id" : "stream_id";
          String lookup = scan.getString("Index Cond", scan.getString("Recheck Cond", ""));
          assertThat(lookup).as(mode + ": looked up by its key: " + scan.encode()).contains(key);
          assertThat(scan.getString("Parent Relationship")).as(mode + ": probed once per event, never hashed: "
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
  private static List<JsonObject> scansOf(JsonObject node, List<String> tables) {
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

  private static String textArray(String prefix) {
    return IntStream.range(0, BATCH).mapToObj(i -> prefix + "-" + i)
        .collect(Collectors.joining(",", "'{", "}'::text[]"));
  }

  private static String sequences() {
    return IntStream.rangeClosed(1, BATCH).mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "'{", "}'::bigint[]"));
  }
}
