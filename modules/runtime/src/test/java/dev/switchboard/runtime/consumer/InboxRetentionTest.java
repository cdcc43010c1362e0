package dev.switchboard.runtime.consumer;

import dev.switchboard.runtime.store.Pruning;
import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which inbox entries are forgotten, and the settings that say so. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InboxRetentionTest {

  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final InboxRetention.Settings WEEK = new InboxRetention.Settings(Duration.ofDays(7), Duration.ofHours(1));

  @Test
  void it_forgets_the_entries_made_longer_than_the_retention_before_the_pruning() {
    List<String> asked = new ArrayList<>();
    Pruning pruning = InboxRetention.pruning(null, (before, limit) -> {
      asked.add(limit + " before " + before);
      return Future.succeededFuture(2);
    }, WEEK, Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(result(pruning.prune())).isEqualTo(2);

    assertThat(asked).containsExactly(Pruning.CHUNK + " before 2026-11-30T12:00:00Z");
  }

  @Test
  void its_settings_come_from_config_default_json_and_must_be_positive() throws IOException {
    JsonObject inbox = DefaultConfig.section(new JsonObject(), "consumers", "inbox");

    assertThat(InboxRetention.Settings.from(inbox)).isEqualTo(WEEK);
    assertThatThrownBy(() -> InboxRetention.Settings.from(inbox.copy().put("retentionHours", 0)))
        .hasMessageContaining("consumers.inbox.retentionHours");
    assertThatThrownBy(() -> InboxRetention.Settings.from(inbox.copy().put("pruneIntervalMinutes", -1)))
        .hasMessageContaining("consumers.inbox.pruneIntervalMinutes");
    JsonObject withoutRetention = inbox.copy();
    withoutRetention.remove("retentionHours");
    assertThatThrownBy(() -> InboxRetention.Settings.from(withoutRetention))
        .hasMessageContaining("consumers.inbox.retentionHours is missing");
    assertThatThrownBy(() -> InboxRetention.Settings.from(inbox.copy().put("pruneIntervalMinutes", "hourly")))
        .hasMessageContaining("consumers.inbox.pruneIntervalMinutes must be a whole number (was a string)");
  }
}
