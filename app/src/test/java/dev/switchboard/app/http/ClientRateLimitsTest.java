package dev.switchboard.app.http;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A token bucket per client: a burst at once, then the steady rate, each client on its own. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClientRateLimitsTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ClientRateLimits limits = new ClientRateLimits(10, 5, now::get);

  @Test
  void a_client_may_send_its_burst_at_once_then_one_request_per_refilled_token() {
    for (int i = 0; i < 5; i++) {
      assertThat(limits.tryTake("10.0.0.1")).as("request %s of the burst", i + 1).isTrue();
    }
    assertThat(limits.tryTake("10.0.0.1")).isFalse();
    assertThat(limits.secondsUntilNextToken("10.0.0.1")).isEqualTo(1);

    advance(Duration.ofMillis(100)); // one token at 10 a second
    assertThat(limits.tryTake("10.0.0.1")).isTrue();
    assertThat(limits.tryTake("10.0.0.1")).isFalse();
  }

  @Test
  void clients_are_limited_each_on_its_own_and_a_bucket_never_holds_more_than_the_burst() {
    for (int i = 0; i < 5; i++) {
      limits.tryTake("10.0.0.1");
    }
    assertThat(limits.tryTake("10.0.0.1")).isFalse();
    assertThat(limits.tryTake("10.0.0.2")).as("another client").isTrue();

    advance(Duration.ofHours(1));
    int allowed = 0;
    while (limits.tryTake("10.0.0.1")) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(5);
  }

  @Test
  void clients_that_stopped_are_forgotten_once_their_buckets_are_full_again() {
    for (int i = 0; i < 10_001; i++) {
      limits.tryTake("10.1." + (i / 256) + "." + (i % 256));
    }
    advance(Duration.ofSeconds(1));

    limits.tryTake("10.0.0.1");

    assertThat(limits.clients()).isEqualTo(1);
  }

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }
}
