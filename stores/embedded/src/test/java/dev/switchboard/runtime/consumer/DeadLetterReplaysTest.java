package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.Eventing;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.local.LocalTransport;
import dev.switchboard.runtime.transport.local.LocalTransportSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.invalidOrderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/** Replays of a consumer's dead letters, asked for over the event bus as the HTTP API asks. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeadLetterReplaysTest {

  private static final String CONSUMER = "mailer";

  @TempDir
  Path dir;

  private Vertx vertx;
  private EventStore store;
  private Context context;
  private final AtomicBoolean broken = new AtomicBoolean(true);
  private final EventConsumer consumer = EventConsumer.named(CONSUMER)
      .on(EventCatalog.ORDER_PLACED, event -> {
        if (broken.get()) {
          throw new IllegalStateException("smtp down");
        }
        return Future.succeededFuture(UnitOfWork.NOTHING.and(
            new DocumentWrite("mails", event.subject(), ExpectedVersion.NONE, new JsonObject().put("sent", true))));
      })
      .build();

  @BeforeEach
  void openTheStore(Vertx vertx) {
    this.vertx = vertx;
    this.store = result(TestStores.embedded(vertx, dir));
    this.context = vertx.getOrCreateContext();
  }

  @AfterEach
  void closeTheStore() {
    result(store.close());
  }

  @Test
  void a_replay_asked_for_on_the_bus_is_handled_and_answered_with_the_outcome() {
    ConsumerRunner runner = runner();
    serve(runner);
    DeadLetter letter = deadLetterOf(runner, result(store.commit(startStream(orderPlaced(newOrderId())))).get(0));
    broken.set(false);

    JsonObject reply = result(replay(letter.id())).body();

    assertThat(reply).isEqualTo(new JsonObject().put("id", letter.id()).put("consumer", CONSUMER)
        .put("eventId", letter.eventId()).put("outcome", "HANDLED"));
    assertThat(result(store.findDeadLetter(letter.id()))).isEmpty();
    assertThat(result(store.document("mails", subjectOf(letter)))).isPresent();
  }

  @Test
  void a_replay_that_fails_again_is_answered_so_and_keeps_the_letter() {
    ConsumerRunner runner = runner();
    serve(runner);
    DeadLetter letter = deadLetterOf(runner, result(store.commit(startStream(orderPlaced(newOrderId())))).get(0));

    JsonObject reply = result(replay(letter.id())).body();

    assertThat(reply.getString("outcome")).isEqualTo("DEAD_LETTERED_AGAIN");
    assertThat(result(store.findDeadLetter(letter.id()))).isPresent();
  }

  @Test
  void a_replay_of_an_unknown_letter_fails_with_404() {
    serve(runner());

    Throwable failure = Await.failure(replay(UUID.randomUUID().toString()));

    assertThat(failure).isInstanceOfSatisfying(ReplyException.class,
        reply -> assertThat(reply.failureCode()).isEqualTo(404));
  }

  @Test
  void a_replay_of_a_letter_that_can_never_be_handled_fails_with_409() {
    ConsumerRunner runner = runner();
    serve(runner);
    DeadLetter letter = deadLetterOf(runner, new StoredEvent(0, invalidOrderPlaced(newOrderId())));

    Throwable failure = Await.failure(replay(letter.id()));

    assertThat(failure).isInstanceOfSatisfying(ReplyException.class,
        reply -> assertThat(reply.failureCode()).isEqualTo(409));
    assertThat(result(store.findDeadLetter(letter.id()))).isPresent();
  }

  @Test
  void a_started_consumer_serves_its_replays_until_its_subscription_is_closed() {
    LocalTransport transport = new LocalTransport(vertx, store, new LocalTransportSettings(50, 16));
    Eventing eventing = new Eventing(vertx, store, transport, TestStores.schemas(), EventFactory.system(),
        new RetryPolicy(2, 1, 2), new ProjectionRunner.Settings(100, 50), EventMetrics.none(),
            DefaultShop.deadLetterMaxRawBytes(), DefaultShop.upcasters());
    Subscription subscription = Await.onContext(context, () -> eventing.start(consumer));
    StoredEvent placed = result(store.commit(startStream(orderPlaced(newOrderId())))).get(0);
    Await.until("the event is dead-lettered", () -> !result(store.deadLetters(10)).isEmpty());
    DeadLetter letter = result(store.deadLetters(10)).get(0);
    assertThat(letter.eventId()).isEqualTo(placed.id());
    broken.set(false);

    assertThat(result(replay(letter.id())).body().getString("outcome")).isEqualTo("HANDLED");

    Await.onContext(context, subscription::close);
    Throwable afterClose = Await.failure(replay(UUID.randomUUID().toString()));
    assertThat(afterClose).isInstanceOfSatisfying(ReplyException.class,
        reply -> assertThat(reply.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
  }

  // ------------------------------------------------------------------ helpers

  private ConsumerRunner runner() {
    return new ConsumerRunner(vertx, store, TestStores.schemas(), consumer, new RetryPolicy(2, 1, 2), Clock.systemUTC(),
        DefaultShop.upcasters());
  }

  private void serve(ConsumerRunner runner) {
    Await.onContext(context, () -> {
      MessageConsumer<JsonObject> replays = DeadLetterReplays.serve(vertx, store, runner);
      return replays.completion();
    });
  }

  private DeadLetter deadLetterOf(ConsumerRunner runner, StoredEvent event) {
    Await.onContext(context, () -> runner.deliver(event));
    List<DeadLetter> letters = result(store.deadLetters(10));
    assertThat(letters).hasSize(1);
    return letters.get(0);
  }

  private Future<Message<JsonObject>> replay(String id) {
    return vertx.eventBus().request(DeadLetterReplays.address(CONSUMER), new JsonObject().put("id", id));
  }

  private static String subjectOf(DeadLetter letter) {
    return letter.event().getString("subject");
  }
}
