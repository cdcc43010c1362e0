package dev.switchboard.runtime.logging;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Values from outside, made fit for a log line. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LogValuesTest {

  @Test
  void line_breaks_and_control_characters_are_written_out_so_no_line_can_be_forged() {
    String forged = "c-1\r\n12:00:00.000 INFO  [main] d.s.Fake - payment approved\u0000\u001b[31m\u2028";

    String escaped = LogValues.escape(forged);

    assertThat(escaped).doesNotContain("\n", "\r", "\u0000", "\u001b", "\u2028")
        .startsWith("c-1\\r\\n12:00:00.000 INFO").contains("\\u0000", "\\u001b", "\\u2028");
    assertThat(LogValues.oneLine("plain text stays as it is")).isEqualTo("plain text stays as it is");
    assertThat(LogValues.escape(null)).isNull();
  }

  @Test
  void a_huge_value_is_cut_and_says_how_long_it_was() {
    String escaped = LogValues.escape("x".repeat(100_000));

    assertThat(escaped).hasSizeLessThan(LogValues.MAX_LENGTH + 40).endsWith("…(100000 characters)");
  }

  @Test
  void a_customer_id_is_masked_but_the_same_id_masks_the_same_way() {
    String masked = LogValues.customer("customer-4711");

    assertThat(masked).startsWith("cus***").doesNotContain("4711").hasSize(12);
    assertThat(LogValues.customer("customer-4711")).isEqualTo(masked);
    assertThat(LogValues.customer("customer-4712")).isNotEqualTo(masked);
    assertThat(LogValues.customer("c-1")).startsWith("***").doesNotContain("c-1");
    assertThat(LogValues.customer("cus\n-forged-line")).doesNotContain("\n");
  }

  @Test
  void passwords_in_uris_and_settings_are_redacted() {
    assertThat(LogValues.uri("postgresql://app:s3cret@db.example:5432/orders"))
        .isEqualTo("postgresql://app:***@db.example:5432/orders");
    assertThat(LogValues.uri("amqps://guest:gu%40est@broker:5671/vhost")).doesNotContain("gu%40est", "est@broker")
        .contains("guest:***@broker");
    // a typo makes the URI unparsable: exactly when it must not be shown as it is
    assertThat(LogValues.uri("postgresql://app:s3 cret@db.example:54x2/orders")).doesNotContain("s3 cret", "cret");
    assertThat(LogValues.redact("connect failed: postgresql://app:s3cret@db/x?password=other&ssl=true"))
        .doesNotContain("s3cret", "other").contains("password=***&ssl=true");
    assertThat(LogValues.uri("postgresql://app@db.example/orders")).isEqualTo("postgresql://app@db.example/orders");
  }

  @Test
  void a_warning_repeated_within_its_interval_is_one_line_that_counts_the_others() {
    AtomicLong now = new AtomicLong();
    Logger log = LoggerFactory.getLogger(LogValuesTest.class);
    IntervalLog interval = new IntervalLog(log, Duration.ofSeconds(10), now::get);

    assertThat(interval.warn("refused", "queue full")).isTrue();
    assertThat(interval.warn("refused", "queue full")).isFalse();
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(interval.warn("refused", "queue full")).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(interval.warn("refused", "queue full")).isTrue();
  }
}
