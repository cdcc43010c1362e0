package dev.switchboard.runtime.consumer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** How old inbox entries are forgotten: the chunks asked of the store and what a failure leaves. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InboxRetentionTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final InboxRetention.Settings WEEK = new InboxRetention.Settings(Duration.ofDays(7), Duration.ofHours(1));

  private final List<String> asked = new ArrayList<>();
  private final Deque<Future<Integer>> answers = new ArrayDeque<>();
  private final InboxRetention retention = new InboxRetention(null, (before, limit) -> {
    asked.add(limit + " before " + before);
    return answers.remove();
  }, WEEK, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void it_forgets_chunk_after_chunk_of_entries_older_than_the_retention_until_a_chunk_is_not_full() {
    answers.add(Future.succeededFuture(InboxRetention.CHUNK));
    answers.add(Future.succeededFuture(InboxRetention.CHUNK));
    answers.add(Future.succeededFuture(3));

    assertThat(result(retention.prune())).isEqualTo(2 * InboxRetention.CHUNK + 3);

    assertThat(asked).containsOnly(InboxRetention.CHUNK + " before 2026-11-30T12:00:00Z").hasSize(3);
  }

  @Test
  void a_pruning_asked_for_while_one_is_under_way_does_nothing() {
    Promise<Integer> slow = Promise.promise();
    answers.add(slow.future());

    Future<Integer> first = retention.prune();
    assertThat(result(retention.prune())).isZero();
    slow.complete(0);

    assertThat(result(first)).isZero();
    assertThat(asked).hasSize(1);
  }

  @Test
  void a_failed_pruning_fails_with_the_store_s_failure_and_the_next_one_starts_afresh() {
    answers.add(Future.succeededFuture(InboxRetention.CHUNK));
    answers.add(Future.failedFuture(new IllegalStateException("the store is away")));
    answers.add(Future.succeededFuture(7));

    assertThat(failure(retention.prune())).hasMessage("the store is away");
    assertThat(result(retention.prune())).isEqualTo(7);
    assertThat(asked).hasSize(3);
  }

  @Test
  void a_stopped_retention_asks_nothing_more() {
    Promise<Integer> full = Promise.promise();
    answers.add(full.future());

    Future<Integer> pruning = retention.prune();
    retention.stop();
    full.complete(InboxRetention.CHUNK);

    assertThat(result(pruning)).isEqualTo(InboxRetention.CHUNK);
    assertThat(result(retention.prune())).isZero();
    assertThat(asked).hasSize(1);
  }

  @Test
  void its_settings_come_from_config_default_json_and_must_be_positive() throws IOException {
    JsonObject inbox = new JsonObject(Files.readString(Path.of("..", "..", "config", "default.json")))
        .getJsonObject("consumers").getJsonObject("inbox");

    assertThat(InboxRetention.Settings.from(inbox)).isEqualTo(WEEK);
    assertThatThrownBy(() -> InboxRetention.Settings.from(inbox.copy().put("retentionHours", 0)))
        .hasMessageContaining("consumers.inbox.retentionHours");
    assertThatThrownBy(() -> InboxRetention.Settings.from(inbox.copy().put("pruneIntervalMinutes", -1)))
        .hasMessageContaining("consumers.inbox.pruneIntervalMinutes");
  }
}
