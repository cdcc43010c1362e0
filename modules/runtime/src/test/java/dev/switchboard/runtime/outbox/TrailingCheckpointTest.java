package dev.switchboard.runtime.outbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's checkpoint saved behind it: one save at a time, the furthest position next, failures tried again. */
class TrailingCheckpointTest {

  /** Saves the test completes by hand, in the order they were made. */
  private final List<Long> asked = new ArrayList<>();
  private final List<Promise<Void>> pending = new ArrayList<>();
  private final TrailingCheckpoint checkpoint = new TrailingCheckpoint(position -> {
    asked.add(position);
    Promise<Void> save = Promise.promise();
    pending.add(save);
    return save.future();
  });

  @Test
  void one_save_is_in_flight_at_a_time_and_the_next_takes_the_furthest_position_asked_for_meanwhile() {
    checkpoint.moveTo(10);
    checkpoint.moveTo(20);
    checkpoint.moveTo(30);
    assertThat(asked).containsExactly(10L);

    pending.get(0).complete();

    assertThat(asked).containsExactly(10L, 30L);
    pending.get(1).complete();
    checkpoint.moveTo(30);
    checkpoint.moveTo(25);
    assertThat(asked).as("nothing new to save").containsExactly(10L, 30L);
  }

  @Test
  void a_save_that_failed_is_made_again_with_the_next_position_asked_for() {
    checkpoint.moveTo(10);
    pending.get(0).fail(new IllegalStateException("the store is away"));
    assertThat(asked).as("not retried on its own, in a loop").containsExactly(10L);

    checkpoint.moveTo(10); // the relay's next round, with nothing new published

    assertThat(asked).containsExactly(10L, 10L);
    pending.get(1).complete();
    checkpoint.moveTo(15);
    assertThat(asked).containsExactly(10L, 10L, 15L);
  }

  @Test
  void flushed_waits_for_the_save_in_flight_and_then_for_the_furthest_position() {
    checkpoint.moveTo(10);
    checkpoint.moveTo(20);
    Future<Void> flushed = checkpoint.flushed();

    pending.get(0).complete();
    assertThat(flushed.isComplete()).as("20 is not saved yet").isFalse();
    pending.get(1).complete();

    assertThat(asked).containsExactly(10L, 20L);
    assertThat(flushed.succeeded()).isTrue();
    assertThat(checkpoint.flushed().succeeded()).as("nothing left to save").isTrue();
  }

  @Test
  void flushed_tries_a_failed_save_once_more_and_fails_if_that_fails_too() {
    checkpoint.moveTo(10);
    pending.get(0).fail(new IllegalStateException("the store is away"));

    Future<Void> flushed = checkpoint.flushed();
    assertThat(asked).containsExactly(10L, 10L);
    pending.get(1).fail(new IllegalStateException("still away"));

    assertThat(flushed.failed()).isTrue();
    assertThat(flushed.cause()).hasMessage("still away");
    assertThat(asked).as("no loop of retries").hasSize(2);
  }

  @Test
  void a_save_that_throws_counts_as_failed_and_is_made_again_later() {
    List<Long> tried = new ArrayList<>();
    TrailingCheckpoint throwing = new TrailingCheckpoint(position -> {
      tried.add(position);
      if (tried.size() == 1) {
        throw new IllegalStateException("closed");
      }
      return Future.succeededFuture();
    });

    throwing.moveTo(5);
    throwing.moveTo(7);

    assertThat(tried).containsExactly(5L, 7L);
    assertThat(throwing.flushed().succeeded()).isTrue();
  }
}
