package dev.switchboard.runtime.store;

import dev.switchboard.runtime.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A reader's checkpoint saved behind it: one save at a time, the furthest position next, failures tried again, a delay kept. */
class TrailingCheckpointTest {

  /** Saves the test completes by hand, in the order they were made. */
  private final List<Long> asked = new ArrayList<>();
  private final List<Promise<Void>> pending = new ArrayList<>();
  private final TrailingCheckpoint checkpoint = new TrailingCheckpoint("a reader", position -> {
    asked.add(position);
    Promise<Void> save = Promise.promise();
    pending.add(save);
    return save.future();
  });

  /** Made by the tests of a delayed checkpoint only, for its timer. */
  private Vertx vertx;

  @AfterEach
  void closeVertx() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  /** A checkpoint saved {@code delayMillis} after it moved; each save is recorded in {@code saves} and succeeds. */
  private TrailingCheckpoint delayed(List<Long> saves, long delayMillis) {
    vertx = Vertx.vertx();
    return new TrailingCheckpoint("a lane", position -> {
      saves.add(position);
      return Future.succeededFuture();
    }, vertx, delayMillis);
  }

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
    TrailingCheckpoint throwing = new TrailingCheckpoint("a reader", position -> {
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

  @Test
  void with_a_delay_the_positions_asked_for_within_it_are_saved_once_after_it() {
    List<Long> saves = new CopyOnWriteArrayList<>();
    TrailingCheckpoint delayed = delayed(saves, 50);
    vertx.runOnContext(v -> {
      delayed.moveTo(10);
      delayed.moveTo(20);
    });

    Await.until("the delayed save", () -> !saves.isEmpty());
    assertThat(saves).as("one save, of the furthest position").containsExactly(20L);
  }

  @Test
  void flushed_saves_at_once_what_waits_for_its_delay() {
    List<Long> saves = new ArrayList<>();
    TrailingCheckpoint delayed = delayed(saves, 60_000);

    delayed.moveTo(10);
    assertThat(saves).as("waiting for its delay").isEmpty();
    Future<Void> flushed = delayed.flushed();

    assertThat(saves).containsExactly(10L);
    assertThat(flushed.succeeded()).isTrue();
  }

  @Test
  void a_reader_that_starts_again_saves_from_where_the_store_holds_its_checkpoint() {
    checkpoint.moveTo(30);
    pending.get(0).complete();

    checkpoint.startAt(12); // the lane taken again, at the checkpoint the store holds
    checkpoint.moveTo(20);

    assertThat(asked).as("20 is past what the store holds").containsExactly(30L, 20L);
  }
}
