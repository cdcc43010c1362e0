package dev.switchboard.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How what has had its time is forgotten: the chunks asked of the store and what a failure leaves. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PruningTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private final List<String> asked = new ArrayList<>();
  private final Deque<Future<Integer>> answers = new ArrayDeque<>();
  private final Pruning pruning = new Pruning(null, "things", Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC),
      (now, limit) -> {
        asked.add(limit + " as of " + now);
        return answers.remove();
      });

  @Test
  void it_forgets_chunk_after_chunk_as_of_one_instant_until_a_chunk_is_not_full() {
    answers.add(Future.succeededFuture(Pruning.CHUNK));
    answers.add(Future.succeededFuture(Pruning.CHUNK));
    answers.add(Future.succeededFuture(3));

    assertThat(result(pruning.prune())).isEqualTo(2 * Pruning.CHUNK + 3);

    assertThat(asked).containsOnly(Pruning.CHUNK + " as of 2026-12-07T12:00:00Z").hasSize(3);
  }

  @Test
  void a_pruning_asked_for_while_one_is_under_way_does_nothing() {
    Promise<Integer> slow = Promise.promise();
    answers.add(slow.future());

    Future<Integer> first = pruning.prune();
    assertThat(result(pruning.prune())).isZero();
    slow.complete(0);

    assertThat(result(first)).isZero();
    assertThat(asked).hasSize(1);
  }

  @Test
  void a_failed_pruning_fails_with_the_store_s_failure_and_the_next_one_starts_afresh() {
    answers.add(Future.succeededFuture(Pruning.CHUNK));
    answers.add(Future.failedFuture(new IllegalStateException("the store is away")));
    answers.add(Future.succeededFuture(7));

    assertThat(failure(pruning.prune())).hasMessage("the store is away");
    assertThat(result(pruning.prune())).isEqualTo(7);
    assertThat(asked).hasSize(3);
  }

  @Test
  void a_stopped_pruning_asks_nothing_more() {
    Promise<Integer> full = Promise.promise();
    answers.add(full.future());

    Future<Integer> under = pruning.prune();
    pruning.stop();
    full.complete(Pruning.CHUNK);

    assertThat(result(under)).isEqualTo(Pruning.CHUNK);
    assertThat(result(pruning.prune())).isZero();
    assertThat(asked).hasSize(1);
  }

  @Test
  void its_interval_must_be_positive() {
    assertThatThrownBy(() -> new Pruning(null, "things", Duration.ZERO, Clock.systemUTC(), (now, limit) -> null))
        .hasMessageContaining("things").hasMessageContaining("positive");
  }
}
