package dev.switchboard.runtime.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadsTogetherTest {

  private final Vertx vertx = Vertx.vertx();
  /** The keys of each query sent. */
  private final List<List<String>> queries = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A store of values "value of <key>", except for keys starting with "none". */
  private ReadsTogether<String, Optional<JsonObject>> reads(int maxKeys) {
    return new ReadsTogether<>(keys -> {
      queries.add(keys);
      Map<String, Optional<JsonObject>> found = new HashMap<>();
      keys.stream().filter(key -> !key.startsWith("none"))
          .forEach(key -> found.put(key, Optional.of(new JsonObject().put("value", "of " + key))));
      return Future.succeededFuture(found);
    }, Optional.empty(), read -> read.map(JsonObject::copy), maxKeys);
  }

  @Test
  void the_reads_of_one_turn_go_as_one_query_and_each_gets_its_own_answer() throws Exception {
    ReadsTogether<String, Optional<JsonObject>> reads = reads(100);

    List<Optional<JsonObject>> answers = onContext(() -> Future.all(
        reads.read("a"), reads.read("b"), reads.read("none-1"), reads.read("a"))
        .map(all -> all.<Optional<JsonObject>>list()));

    assertThat(queries).containsExactly(List.of("a", "b", "none-1"));
    assertThat(answers.get(0)).contains(new JsonObject().put("value", "of a"));
    assertThat(answers.get(1)).contains(new JsonObject().put("value", "of b"));
    assertThat(answers.get(2)).isEmpty();
    assertThat(answers.get(3)).isEqualTo(answers.get(0));
    answers.get(0).orElseThrow().put("changed", true);
    assertThat(answers.get(3).orElseThrow().containsKey("changed")).as("a key asked twice: two copies").isFalse();
  }

  @Test
  void reads_asked_after_an_answer_go_in_the_next_query() throws Exception {
    ReadsTogether<String, Optional<JsonObject>> reads = reads(100);

    onContext(() -> reads.read("first").compose(found -> Future.all(reads.read("second"), reads.read("third"))));

    assertThat(queries).containsExactly(List.of("first"), List.of("second", "third"));
  }

  @Test
  void more_keys_than_a_query_holds_go_in_several() throws Exception {
    ReadsTogether<String, Optional<JsonObject>> reads = reads(2);

    List<Optional<JsonObject>> answers = onContext(() -> Future.all(
        reads.read("a"), reads.read("b"), reads.read("c"))
        .map(all -> all.<Optional<JsonObject>>list()));

    assertThat(queries).containsExactly(List.of("a", "b"), List.of("c"));
    assertThat(answers).allSatisfy(answer -> assertThat(answer).isPresent());
  }

  @Test
  void a_failed_query_fails_every_read_in_it() throws Exception {
    ReadsTogether<String, Optional<JsonObject>> reads = new ReadsTogether<>(
        keys -> Future.failedFuture(new StoreUnavailable("the store is away", null)), Optional.empty(), read -> read, 10);

    List<Throwable> failures = onContext(() -> {
      Future<Optional<JsonObject>> one = reads.read("a");
      Future<Optional<JsonObject>> two = reads.read("b");
      return Future.join(one, two).transform(done -> Future.succeededFuture(List.of(one.cause(), two.cause())));
    });

    assertThat(failures).allSatisfy(failure -> assertThat(failure).isInstanceOf(StoreUnavailable.class));
  }

  @Test
  void a_read_from_outside_any_context_goes_alone() throws Exception {
    ReadsTogether<String, Optional<JsonObject>> reads = reads(100);

    Optional<JsonObject> answer = reads.read("alone").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(answer).contains(new JsonObject().put("value", "of alone"));
    assertThat(queries).containsExactly(List.of("alone"));
  }

  @Test
  void a_read_from_a_worker_thread_goes_alone() throws Exception {
    ReadsTogether<String, Optional<JsonObject>> reads = reads(100);

    List<Context> contextOfTheWorker = new ArrayList<>();
    Future<Optional<JsonObject>> answer = onContext(() -> vertx.executeBlocking(() -> {
      contextOfTheWorker.add(Vertx.currentContext());
      return reads.read("from a worker");
    }));

    assertThat(contextOfTheWorker).as("a worker thread runs in its caller's context").doesNotContainNull();
    assertThat(answer.isComplete()).as("sent at once, not gathered for the context's event loop").isTrue();
    assertThat(answer.result()).contains(new JsonObject().put("value", "of from a worker"));
    assertThat(queries).containsExactly(List.of("from a worker"));
  }

  /** Runs {@code reads} in one task of an event-loop context, and waits for what it completes with. */
  private <T> T onContext(Supplier<Future<T>> reads) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<T> answered = new CompletableFuture<>();
    context.runOnContext(start -> {
      Promise<T> done = Promise.promise();
      reads.get().onComplete(done);
      done.future().onSuccess(answered::complete).onFailure(answered::completeExceptionally);
    });
    return answered.get(5, TimeUnit.SECONDS);
  }
}
