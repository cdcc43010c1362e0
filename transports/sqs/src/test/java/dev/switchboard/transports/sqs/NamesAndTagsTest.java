package dev.switchboard.transports.sqs;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queue names, and the types written on a queue as tags. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NamesAndTagsTest {

  @Test
  void a_consumer_has_a_fifo_queue_and_a_fifo_dead_letter_queue() {
    assertThat(QueueNames.queueOf("orders-saga")).isEqualTo("switchboard-orders-saga.fifo");
    assertThat(QueueNames.deadLetterQueueOf("orders-saga")).isEqualTo("switchboard-orders-saga-dlq.fifo");
  }

  @Test
  void the_consumer_is_read_back_from_its_queues_url_but_not_from_a_dead_letter_queue() {
    assertThat(QueueNames.consumerOf("http://127.0.0.1:9324/000000000000/switchboard-payments.fifo"))
        .contains("payments");
    assertThat(QueueNames.consumerOf("https://sqs.eu-west-1.amazonaws.com/1234/switchboard-payments-dlq.fifo"))
        .isEmpty();
    assertThat(QueueNames.consumerOf("switchboard-payments")).isEqualTo(Optional.empty());
    assertThat(QueueNames.consumerOf("other-payments.fifo")).isEmpty();
  }

  @Test
  void a_consumer_whose_name_sqs_cannot_carry_is_refused() {
    assertThatThrownBy(() -> QueueNames.queueOf("orders.saga")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only letters, digits");
    assertThatThrownBy(() -> QueueNames.queueOf("c".repeat(70))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void types_are_written_as_tags_and_read_back() {
    Map<String, String> tags = TypesTags.of(Set.of("OrderPlaced", "OrderCancelled"));

    assertThat(tags).containsExactly(Map.entry("switchboard-types", "OrderCancelled OrderPlaced"));
    assertThat(TypesTags.from(tags)).containsExactly("OrderCancelled", "OrderPlaced");
  }

  @Test
  void a_long_list_of_types_goes_on_over_several_tags_of_at_most_256_characters() {
    Set<String> types = new TreeSet<>();
    IntStream.range(0, 40).forEach(i -> types.add("SomethingHappenedNumber" + i));

    Map<String, String> tags = TypesTags.of(types);

    assertThat(tags.keySet()).startsWith("switchboard-types", "switchboard-types-2");
    assertThat(tags.values()).allSatisfy(value -> assertThat(value.length()).isLessThanOrEqualTo(256));
    assertThat(TypesTags.from(tags)).isEqualTo(types);
  }

  @Test
  void other_tags_of_a_queue_are_no_types() {
    assertThat(TypesTags.from(Map.of("team", "shop", "switchboard-types", "OrderPlaced"))).containsExactly("OrderPlaced");
  }
}
