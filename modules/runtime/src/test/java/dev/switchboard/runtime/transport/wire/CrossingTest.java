package dev.switchboard.runtime.transport.wire;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.switchboard.runtime.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

/** Things handed over from other threads reach the context in order, a burst in one turn. */
class CrossingTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<String> taken = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void what_is_handed_over_while_a_turn_is_scheduled_is_taken_in_that_turn_before_later_tasks() throws Exception {
    Crossing<String> crossing = new Crossing<>(context, item -> taken.add(item + (Vertx.currentContext() == context
        ? "" : " (elsewhere)")));
    CountDownLatch busy = new CountDownLatch(1);
    context.runOnContext(v -> await(busy)); // the context is busy: what is handed over now waits

    crossing.handOver("1");
    context.runOnContext(v -> taken.add("a task after the first"));
    crossing.handOver("2");
    crossing.handOver("3");
    busy.countDown();

    until("everything is taken", () -> taken.size() == 4);
    assertThat(taken).containsExactly("1", "2", "3", "a task after the first");
  }

  @Test
  void each_thread_s_things_are_taken_in_the_order_it_handed_them_over() {
    Crossing<String> crossing = new Crossing<>(context, taken::add);
    List<Thread> threads = IntStream.range(0, 4).mapToObj(thread -> new Thread(() -> {
      for (int i = 0; i < 500; i++) {
        crossing.handOver(thread + ":" + i);
      }
    })).toList();
    threads.forEach(Thread::start);

    until("everything is taken", () -> taken.size() == 2_000);
    for (int thread = 0; thread < 4; thread++) {
      String prefix = thread + ":";
      assertThat(taken.stream().filter(item -> item.startsWith(prefix)).toList())
          .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(i -> prefix + i).toList());
    }
    assertThat(crossing.isEmpty()).isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
