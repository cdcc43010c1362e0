package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.Leases;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestPostgres;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases between nodes sharing a database (two stores stand for two nodes): one holder per role,
 * handed over on release, and freed when the holder's connection goes away.
 */
class PostgresLeasesIT extends PostgresTestSupport {

  @Test
  void a_role_has_one_holder_among_the_nodes_and_passes_on_when_released() {
    PostgresEventStore first = open();
    PostgresEventStore second = open();

    Leases.Lease held = result(first.leases().tryAcquire("consumer:payments")).orElseThrow();

    assertThat(result(second.leases().tryAcquire("consumer:payments"))).isEmpty();
    assertThat(result(first.leases().tryAcquire("consumer:payments"))).as("not twice on one node either").isEmpty();
    assertThat(result(second.leases().tryAcquire("consumer:inventory"))).as("other roles are free").isPresent();

    result(held.release());

    assertThat(result(second.leases().tryAcquire("consumer:payments"))).isPresent();
  }

  @Test
  void the_roles_of_a_node_whose_connection_went_away_are_lost_there_and_free_for_the_others() {
    PostgresEventStore first = open();
    PostgresEventStore second = open();
    Leases.Lease held = result(first.leases().tryAcquire("outbox-relay")).orElseThrow();

    TestPostgres.terminateConnections(database); // as when the node dies, or its network does

    Await.until("the holder knows it lost the lease", () -> held.lost().isComplete());
    Await.until("another node can take the role", () -> {
      try {
        Optional<Leases.Lease> taken = result(second.leases().tryAcquire("outbox-relay"));
        return taken.isPresent();
      } catch (AssertionError storeStillReconnecting) {
        return false;
      }
    });
  }

  @Test
  void closing_the_store_releases_its_roles_without_reporting_them_lost() {
    PostgresEventStore first = open();
    PostgresEventStore second = open();
    Leases.Lease held = result(first.leases().tryAcquire("projection:orders")).orElseThrow();

    result(first.close());

    assertThat(held.lost().isComplete()).isFalse();
    Await.until("the role is free", () -> result(second.leases().tryAcquire("projection:orders")).isPresent());
  }
}
