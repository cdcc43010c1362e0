package dev.switchboard.runtime.consumer;

import dev.switchboard.runtime.store.DeadLetterGone;
import dev.switchboard.runtime.store.DeadLetters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Serves replays of one consumer's dead letters on the event bus, so that the node that runs the
 * consumer does the replay, whichever node was asked.
 *
 * <p>Request {@code {id}}; reply {@code {id, consumer, eventId, outcome}}; failure code 404 when
 * the letter is not there (anymore), 409 when it can never be handled (not a known, valid event).
 */
public final class DeadLetterReplays {

  private DeadLetterReplays() {
  }

  public static String address(String consumer) {
    return "switchboard.dead-letters.replay." + consumer;
  }

  public static MessageConsumer<JsonObject> serve(Vertx vertx, DeadLetters store, ConsumerRunner runner) {
    return vertx.eventBus().consumer(address(runner.consumer()), (Message<JsonObject> request) -> {
      String id = request.body().getString("id");
      store.findDeadLetter(id)
          .compose(found -> found.isEmpty()
              ? Future.failedFuture(new DeadLetterGone(id))
              : runner.replay(found.get()).map(outcome -> new JsonObject()
                  .put("id", id)
                  .put("consumer", runner.consumer())
                  .put("eventId", found.get().eventId())
                  .put("outcome", outcome.name())))
          .onSuccess(request::reply)
          .onFailure(failure -> {
            int code = failure instanceof DeadLetterGone ? 404 : failure instanceof PoisonEvent ? 409 : 500;
            request.fail(code, failure.getMessage());
          });
    });
  }
}
