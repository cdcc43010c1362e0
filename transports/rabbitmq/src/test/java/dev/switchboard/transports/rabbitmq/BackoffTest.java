package dev.switchboard.transports.rabbitmq;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BackoffTest {

  private final Backoff backoff = new Backoff(100, 1_000);

  @RepeatedTest(20)
  void the_wait_doubles_with_each_failure_up_to_the_cap_with_half_of_it_random() {
    assertThat(backoff.after(1)).isBetween(50L, 100L);
    assertThat(backoff.after(2)).isBetween(100L, 200L);
    assertThat(backoff.after(3)).isBetween(200L, 400L);
    assertThat(backoff.after(5)).isBetween(500L, 1_000L);
    assertThat(backoff.after(60)).isBetween(500L, 1_000L);
  }
}
