package dev.switchboard.runtime.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Event types a producer made up are counted as {@code other}: one series, however many types. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventMetricsLabelsTest {

  @Test
  void unknown_event_types_fold_into_other_and_known_ones_keep_their_name() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EventMetrics metrics = new EventMetrics(registry);

    for (int i = 0; i < 100; i++) {
      metrics.delivered("inventory", "Invented" + i, "dead_lettered", Duration.ofMillis(1));
      metrics.deadLettered("inventory", "Invented\n" + i);
      metrics.retried("inventory", "Invented" + i);
    }
    metrics.deadLettered("inventory", "OrderPlaced");

    assertThat(registry.find("switchboard.dead.letters").counters()).extracting(c -> c.getId().getTag("type"))
        .containsExactlyInAnyOrder("other", "OrderPlaced");
    assertThat(registry.find("switchboard.events.handled").counters()).hasSize(1);
    assertThat(registry.find("switchboard.events.handled").counter().count()).isEqualTo(100);
    assertThat(registry.find("switchboard.handler.duration").timers()).singleElement()
        .satisfies(timer -> assertThat(timer.count()).isEqualTo(100));
    assertThat(registry.find("switchboard.consumer.retries").counters()).singleElement()
        .satisfies(c -> assertThat(c.getId().getTag("type")).isEqualTo("other"));
  }
}
