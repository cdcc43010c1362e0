package dev.switchboard.runtime.consumer;

import dev.switchboard.runtime.testing.DefaultConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.LongSummaryStatistics;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exponential backoff with "equal jitter", capped: the waits between a failing handler's attempts. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetryPolicyTest {

  private static final int SAMPLES = 2_000;

  @Test
  void each_wait_lies_between_half_the_exponential_step_and_the_whole_step() {
    RetryPolicy policy = new RetryPolicy(10, 100, 5_000);
    long[] steps = {100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000};

    for (int attempt = 1; attempt <= steps.length; attempt++) {
      long step = steps[attempt - 1];
      LongSummaryStatistics waits = sample(policy, attempt);
      assertThat(waits.getMin()).as("shortest wait after attempt %d", attempt).isGreaterThanOrEqualTo(step / 2);
      assertThat(waits.getMax()).as("longest wait after attempt %d", attempt).isLessThanOrEqualTo(step);
    }
  }

  @Test
  void the_wait_grows_with_every_failed_attempt_until_the_cap() {
    RetryPolicy policy = new RetryPolicy(10, 100, 5_000);

    for (int attempt = 1; attempt < 6; attempt++) {
      // the shortest wait of the next attempt is no shorter than the longest of this one,
      // and on average it doubles
      LongSummaryStatistics now = sample(policy, attempt);
      LongSummaryStatistics next = sample(policy, attempt + 1);
      assertThat(next.getMin()).as("after attempt %d", attempt + 1).isGreaterThanOrEqualTo(now.getMax());
      assertThat(next.getAverage()).isGreaterThan(now.getAverage() * 1.8);
    }
  }

  @ParameterizedTest(name = "maxAttempts={0}, initial={1} ms, cap={2} ms")
  @CsvSource({"50, 100, 5000", "50, 1, 1", "50, 1, 3", "50, 7, 7", "50, 3, 10", "50, 5, 20"})
  void no_wait_is_ever_longer_than_the_cap_or_shorter_than_a_millisecond(int maxAttempts, long initial, long cap) {
    RetryPolicy policy = new RetryPolicy(maxAttempts, initial, cap);

    for (int attempt : new int[] {1, 2, 3, 10, 40, 64, 1_000, Integer.MAX_VALUE}) {
      LongSummaryStatistics waits = sample(policy, attempt);
      assertThat(waits.getMax()).as("longest wait after attempt %d", attempt).isLessThanOrEqualTo(cap);
      assertThat(waits.getMin()).as("shortest wait after attempt %d", attempt).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void waits_are_jittered_so_that_consumers_failing_together_do_not_retry_in_lock_step() {
    RetryPolicy policy = new RetryPolicy(5, 100, 5_000);
    Set<Long> distinct = new HashSet<>();

    for (int i = 0; i < 200; i++) {
      distinct.add(policy.backoffAfter(3));
    }

    assertThat(distinct).hasSizeGreaterThan(20);
  }

  @RepeatedTest(20)
  void a_policy_without_end_doubles_its_wait_with_each_failure_up_to_the_cap_with_half_of_it_random() {
    RetryPolicy backoff = RetryPolicy.withoutEnd(100, 1_000);

    assertThat(backoff.backoffAfter(1)).isBetween(50L, 100L);
    assertThat(backoff.backoffAfter(2)).isBetween(100L, 200L);
    assertThat(backoff.backoffAfter(3)).isBetween(200L, 400L);
    assertThat(backoff.backoffAfter(5)).isBetween(500L, 1_000L);
    assertThat(backoff.backoffAfter(60)).isBetween(500L, 1_000L);
    assertThat(backoff.maxAttempts()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void a_policy_without_end_needs_a_positive_initial_wait_no_longer_than_the_cap() {
    assertThatThrownBy(() -> RetryPolicy.withoutEnd(0, 5_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetryPolicy.withoutEnd(500, 100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_policy_needs_an_attempt_and_a_positive_initial_wait_no_longer_than_the_cap() {
    assertThatThrownBy(() -> new RetryPolicy(0, 100, 5_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(3, 0, 5_000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryPolicy(3, 500, 100)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configuration_gives_every_setting_and_a_missing_one_is_named() {
    JsonObject defaults = DefaultConfig.section(new JsonObject(), "consumers", "retry");
    assertThat(RetryPolicy.from(defaults)).isEqualTo(new RetryPolicy(5, 100, 5_000));
    assertThat(RetryPolicy.from(new JsonObject().put("maxAttempts", 2).put("initialBackoffMillis", 10)
        .put("maxBackoffMillis", 40))).isEqualTo(new RetryPolicy(2, 10, 40));
    assertThatThrownBy(() -> RetryPolicy.from(new JsonObject().put("maxAttempts", 2).put("initialBackoffMillis", 10)))
        .hasMessage("consumers.retry.maxBackoffMillis is missing (config/default.json gives every key its default)");
  }

  private static LongSummaryStatistics sample(RetryPolicy policy, int failedAttempt) {
    return LongStream.range(0, SAMPLES).map(i -> policy.backoffAfter(failedAttempt)).summaryStatistics();
  }
}
