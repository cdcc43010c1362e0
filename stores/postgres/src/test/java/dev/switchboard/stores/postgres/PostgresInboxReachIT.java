package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/** Nodes sharing a consumer's lanes keep its inbox's reach in rows of their own: none waits for another's. */
class PostgresInboxReachIT extends PostgresTestSupport {

  @Test
  void a_node_commits_a_consumers_batch_while_another_node_has_raised_that_consumers_reach_and_not_committed()
      throws Exception {
    PostgresEventStore store = open();
    List<StoredEvent> placed = result(store.commit(startStream(orderPlaced(newOrderId()))));
    try (Connection otherNode = TestPostgres.connect(database)) {
      otherNode.setAutoCommit(false);
      try (Statement raise = otherNode.createStatement()) {
        // what the other node's writer sends for the consumer's batch in its transaction, still open
        raise.execute("INSERT INTO inbox_reach_by_node (consumer, node, position) VALUES ('mailer', 'other-node', 1)");
      }

      // before rows per node, this waited for the other node's commit (Await gives up after 10 s)
      result(store.commitConsumedTogether("mailer", placed, UnitOfWork.NOTHING));
      assertThat(result(store.handledUpTo("mailer"))).isEqualTo(placed.get(0).position());
      otherNode.commit();
    }
    assertThat(TestPostgres.queryLong(database, "SELECT count(*) FROM inbox_reach_by_node WHERE consumer = 'mailer'"))
        .as("a row per node").isEqualTo(2);
  }
}
