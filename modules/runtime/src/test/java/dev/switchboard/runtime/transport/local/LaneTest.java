package dev.switchboard.runtime.transport.local;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A consumer's lanes: every order in exactly one, named so that a whole consumer keeps its old names. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LaneTest {

  @Test
  void every_order_falls_in_exactly_one_lane_and_the_lanes_share_orders_out() {
    int[] perLane = new int[4];
    for (int order = 0; order < 4_000; order++) {
      String subject = "order-" + order;
      int[] holders = IntStream.range(0, 4).filter(index -> new Lane(index, 4).holds(subject)).toArray();
      assertThat(holders).as(subject).hasSize(1);
      perLane[holders[0]]++;
    }
    assertThat(IntStream.of(perLane).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(800, 1_200));
  }

  @Test
  void a_whole_consumer_keeps_its_lease_and_checkpoint_names_and_a_lane_has_its_own() {
    assertThat(Lane.whole().roleOf("inventory")).isEqualTo("consumer:inventory");
    assertThat(Lane.whole().checkpointOf("inventory")).isEqualTo("inventory");
    assertThat(new Lane(2, 4).roleOf("inventory")).isEqualTo("consumer:inventory#2/4");
    assertThat(new Lane(2, 4).checkpointOf("inventory")).isEqualTo("inventory#2/4");
    assertThat(Lane.whole().holds("anything")).isTrue();
  }

  @Test
  void a_lane_outside_its_count_does_not_exist() {
    assertThatThrownBy(() -> new Lane(4, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Lane(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LocalTransportSettings(1000, 256, 0)).hasMessageContaining("transport.local.lanes");
  }
}
