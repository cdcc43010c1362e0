package dev.switchboard.transports.kafka;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerGroupLagTest {

  private static final TopicPartition ORDERS_0 = new TopicPartition("switchboard.orders", 0);
  private static final TopicPartition ORDERS_1 = new TopicPartition("switchboard.orders", 1);
  private static final TopicPartition PAYMENTS_0 = new TopicPartition("switchboard.payments", 0);
  private static final Set<TopicPartition> PARTITIONS = Set.of(ORDERS_0, ORDERS_1, PAYMENTS_0);
  private static final Map<TopicPartition, Long> ENDS = Map.of(ORDERS_0, 100L, ORDERS_1, 50L, PAYMENTS_0, 30L);
  private static final Map<TopicPartition, Long> STARTS = Map.of(ORDERS_0, 10L, ORDERS_1, 0L, PAYMENTS_0, 0L);

  @Test
  void a_consumer_lags_by_the_records_after_its_committed_offsets_on_the_topics_it_reads_only() {
    Map<String, Long> lag = ConsumerGroupLag.lag(Map.of("inventory", Set.of("switchboard.orders")), PARTITIONS, ENDS,
        STARTS, Map.of("switchboard.inventory", Map.of(ORDERS_0, new OffsetAndMetadata(90), ORDERS_1,
            new OffsetAndMetadata(50), PAYMENTS_0, new OffsetAndMetadata(0))));

    assertThat(lag).containsExactly(Map.entry("inventory", 10L));
  }

  @Test
  void where_a_group_has_committed_nothing_it_lags_by_everything_still_in_the_partition() {
    Map<String, Long> lag = ConsumerGroupLag.lag(Map.of("orders", Set.of("switchboard.orders", "switchboard.payments")),
        PARTITIONS, ENDS, STARTS, Map.of("switchboard.orders", Map.of(ORDERS_1, new OffsetAndMetadata(45))));

    assertThat(lag).as("orders-0 from its start (10), orders-1 from 45, payments-0 from its start")
        .containsExactly(Map.entry("orders", 90L + 5L + 30L));
  }

  @Test
  void each_consumer_is_counted_from_its_own_group_and_a_group_ahead_of_a_truncated_end_lags_by_nothing() {
    Map<String, Long> lag = ConsumerGroupLag.lag(
        Map.of("a", Set.of("switchboard.payments"), "b", Set.of("switchboard.payments")), PARTITIONS, ENDS, STARTS,
        Map.of("switchboard.a", Map.of(PAYMENTS_0, new OffsetAndMetadata(12)),
            "switchboard.b", Map.of(PAYMENTS_0, new OffsetAndMetadata(31))));

    assertThat(lag).containsExactly(Map.entry("a", 18L), Map.entry("b", 0L));
  }
}
