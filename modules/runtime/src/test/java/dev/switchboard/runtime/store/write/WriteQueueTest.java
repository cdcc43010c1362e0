package dev.switchboard.runtime.store.write;

import dev.switchboard.runtime.store.StoreUnavailable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

class WriteQueueTest {

  private final Vertx vertx = Vertx.vertx();
  private final WriteQueue<String> queue = new WriteQueue<>("the test store", 3);
  private final AtomicInteger wakes = new AtomicInteger();

  @AfterEach
  void close() {
    result(vertx.close());
  }

  @Test
  void a_full_queue_refuses_a_write_at_once_and_wakes_nobody() {
    for (int i = 0; i < 3; i++) {
      queue.submit(null, "write " + i, wakes::incrementAndGet);
    }

    Future<Object> refused = queue.submit(null, "one too many", wakes::incrementAndGet);

    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(StoreUnavailable.class)
        .hasMessage("the test store's write queue is full (3 waiting): try again later");
    assertThat(((StoreUnavailable) refused.cause()).mayHaveCommitted()).isFalse();
    assertThat(wakes).as("the writer is woken for each write queued, not for the refused one").hasValue(3);
  }

  @Test
  void the_writer_takes_writes_in_the_order_queued_up_to_a_batch() {
    for (int i = 0; i < 3; i++) {
      queue.submit(null, "write " + i, wakes::incrementAndGet);
    }

    assertThat(queue.take(2)).extracting(WriteQueue.Request::work).containsExactly("write 0", "write 1");
    assertThat(queue.take(2)).extracting(WriteQueue.Request::work).containsExactly("write 2");
    assertThat(queue.take(2)).isEmpty();
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void a_writer_on_a_thread_of_its_own_waits_for_the_first_write_then_takes_those_behind_it() throws Exception {
    assertThat(queue.await(2, 10, TimeUnit.MILLISECONDS)).as("nothing came").isEmpty();

    CompletableFuture<List<WriteQueue.Request<String>>> taken = CompletableFuture.supplyAsync(() -> {
      try {
        return queue.await(2, 5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    queue.submit(null, "first", wakes::incrementAndGet);

    assertThat(taken.get(5, TimeUnit.SECONDS)).extracting(WriteQueue.Request::work).containsExactly("first");
  }

  @Test
  void each_write_is_told_its_outcome_on_the_context_it_came_from() throws Exception {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Future<Object>> submitted = new CompletableFuture<>();
    caller.runOnContext(v -> submitted.complete(queue.submit(Vertx.currentContext(), "write", wakes::incrementAndGet)));
    Future<Object> written = submitted.get(5, TimeUnit.SECONDS);
    CompletableFuture<Context> toldOn = new CompletableFuture<>();
    written.onComplete(done -> toldOn.complete(Vertx.currentContext()));

    queue.take(1).get(0).succeed("its value"); // on the test's thread, as a writer's thread would

    assertThat(result(written)).isEqualTo("its value");
    assertThat(toldOn.get(5, TimeUnit.SECONDS)).isSameAs(caller);
  }

  @Test
  void a_closed_queue_refuses_new_writes_and_its_writer_may_still_commit_or_fail_what_waits() {
    Future<Object> waiting = queue.submit(null, "queued before", wakes::incrementAndGet);
    Future<Object> alsoWaiting = queue.submit(null, "queued before too", wakes::incrementAndGet);

    queue.close();
    Future<Object> refused = queue.submit(null, "after", wakes::incrementAndGet);

    assertThat(refused.cause()).isInstanceOf(StoreUnavailable.class).hasMessage("the test store is closed");
    assertThat(queue.drained()).as("writes still wait").isFalse();
    queue.take(1).get(0).succeed("committed while closing");
    queue.failWaiting("closed before this write was done");
    assertThat(waiting.result()).isEqualTo("committed while closing");
    assertThat(alsoWaiting.cause()).isInstanceOf(StoreUnavailable.class)
        .hasMessage("the test store closed before this write was done");
    assertThat(queue.drained()).isTrue();
  }
}
