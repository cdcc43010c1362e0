package dev.switchboard.runtime.transport.wire;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.switchboard.runtime.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

/** A client's answer reaches the context it is asked on, and fails with what the client raised. */
class ClientFuturesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void an_answer_completed_on_the_clients_thread_is_seen_on_the_context() {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<String> answer = new CompletableFuture<>();
    AtomicReference<Context> seenOn = new AtomicReference<>();

    ClientFutures.on(context, answer).onSuccess(value -> seenOn.set(Vertx.currentContext()));
    new Thread(() -> answer.complete("answered"), "a-client-thread").start();

    until("the answer is seen", () -> seenOn.get() != null);
    assertThat(seenOn.get()).isSameAs(context);
  }

  @Test
  void a_failure_is_the_one_the_client_raised_not_its_wrappers() {
    IllegalStateException raised = new IllegalStateException("the queue does not exist");
    CompletableFuture<String> answer = CompletableFuture.failedFuture(
        new CompletionException(new ExecutionException(raised)));

    Future<String> future = ClientFutures.on(null, answer);

    assertThat(future.failed()).isTrue();
    assertThat(future.cause()).isSameAs(raised);
    assertThat(ClientFutures.unwrap(new CompletionException(null))).isInstanceOf(CompletionException.class);
  }
}
