package dev.switchboard.stores.postgres;

import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.RefusedByStore;
import dev.switchboard.runtime.store.StoreUnavailable;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database failures are worth retrying: only those that are not the values' fault. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PostgresFailuresTest {

  @ParameterizedTest
  @ValueSource(strings = {"22021", "22003", "22001", "22P02", "23502", "23503", "23514", "23P01", "54000"})
  void a_refusal_of_the_values_is_never_retried(String state) {
    assertThat(PostgresFailures.of(failure(state))).isInstanceOf(RefusedByStore.class)
        .hasMessageContaining(state);
  }

  @ParameterizedTest
  @ValueSource(strings = {"40001", "40P01", "23505"})
  void a_race_with_another_writer_is_decided_again(String state) {
    assertThat(PostgresFailures.of(failure(state))).isInstanceOf(ConcurrencyConflict.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"08006", "57P01", "53300", "XX000"})
  void anything_else_counts_as_the_store_being_unavailable(String state) {
    assertThat(PostgresFailures.of(failure(state))).isInstanceOf(StoreUnavailable.class);
  }

  private static PgException failure(String state) {
    return new PgException("refused", "ERROR", state, null);
  }
}
