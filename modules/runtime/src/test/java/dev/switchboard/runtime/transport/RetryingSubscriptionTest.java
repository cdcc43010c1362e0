package dev.switchboard.runtime.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetryingSubscriptionTest {

  /** What the transport hands out: a subscription that takes a moment to close, and records it. */
  private static final class Made implements Subscription {
    final AtomicBoolean closed = new AtomicBoolean();
    private final Vertx vertx;

    Made(Vertx vertx) {
      this.vertx = vertx;
    }

    @Override
    public String consumer() {
      return "mailer";
    }

    @Override
    public Future<Void> close() {
      return vertx.timer(20).map(done -> {
        closed.set(true);
        return null;
      });
    }
  }

  @Test
  void a_broker_that_answers_at_once_gives_a_subscription_at_once(Vertx vertx, VertxTestContext test) {
    AtomicInteger attempts = new AtomicInteger();
    Made made = new Made(vertx);
    vertx.runOnContext(v -> RetryingSubscription.start(vertx, "mailer", () -> {
      attempts.incrementAndGet();
      return Future.succeededFuture(made);
    }).onComplete(test.succeeding(subscription -> test.verify(() -> {
      assertThat(((RetryingSubscription) subscription).subscribed()).isTrue();
      assertThat(attempts).hasValue(1);
      subscription.close().onComplete(test.succeeding(closed -> test.verify(() -> {
        assertThat(made.closed).isTrue();
        test.completeNow();
      })));
    }))));
  }

  @Test
  void a_broker_away_at_start_does_not_fail_the_start_and_is_tried_again_until_it_answers(Vertx vertx,
                                                                                         VertxTestContext test) {
    AtomicInteger attempts = new AtomicInteger();
    Made made = new Made(vertx);
    vertx.runOnContext(v -> RetryingSubscription.start(vertx, "mailer", () -> attempts.incrementAndGet() <= 2
            ? Future.failedFuture(new IllegalStateException("the broker does not answer"))
            : Future.succeededFuture(made))
        .onComplete(test.succeeding(subscription -> {
          RetryingSubscription retrying = (RetryingSubscription) subscription;
          test.verify(() -> assertThat(retrying.subscribed()).as("not yet").isFalse());
          // at most 1 s, then at most 2 s (RetryPolicy's equal jitter): subscribed within 3 s
          vertx.setPeriodic(100, timer -> {
            if (retrying.subscribed()) {
              vertx.cancelTimer(timer);
              test.verify(() -> assertThat(attempts).hasValue(3));
              test.completeNow();
            }
          });
        })));
  }

  @Test
  void a_request_that_is_wrong_in_itself_fails_the_start_and_is_not_tried_again(Vertx vertx, VertxTestContext test) {
    AtomicInteger attempts = new AtomicInteger();
    vertx.runOnContext(v -> RetryingSubscription.start(vertx, "mailer", () -> {
      attempts.incrementAndGet();
      return Future.failedFuture(new IllegalArgumentException("mailer subscribes to no event type"));
    }).onComplete(test.failing(failure -> vertx.setTimer(1_500, t -> test.verify(() -> {
      assertThat(failure).isInstanceOf(IllegalArgumentException.class);
      assertThat(attempts).as("no second attempt").hasValue(1);
      test.completeNow();
    })))));
  }

  @Test
  void closing_while_waiting_to_try_again_stops_trying(Vertx vertx, VertxTestContext test) {
    AtomicInteger attempts = new AtomicInteger();
    vertx.runOnContext(v -> RetryingSubscription.start(vertx, "mailer", () -> {
      attempts.incrementAndGet();
      return Future.failedFuture(new IllegalStateException("the broker does not answer"));
    }).compose(Subscription::close).onComplete(test.succeeding(closed -> vertx.setTimer(2_000, t -> test.verify(() -> {
      assertThat(attempts).as("none after the close").hasValue(1);
      test.completeNow();
    })))));
  }

  @Test
  void closing_while_an_attempt_is_in_flight_closes_what_it_makes(Vertx vertx, VertxTestContext test) {
    AtomicInteger attempts = new AtomicInteger();
    Promise<Subscription> inFlight = Promise.promise();
    Made made = new Made(vertx);
    vertx.runOnContext(v -> RetryingSubscription.start(vertx, "mailer", () -> attempts.incrementAndGet() == 1
            ? Future.failedFuture(new IllegalStateException("the broker does not answer"))
            : inFlight.future())
        .onComplete(test.succeeding(subscription -> vertx.setPeriodic(50, timer -> {
          if (attempts.get() == 2) { // the second attempt waits on the broker
            vertx.cancelTimer(timer);
            Future<Void> closing = subscription.close();
            test.verify(() -> assertThat(closing.isComplete()).as("waits for the attempt").isFalse());
            inFlight.complete(made);
            closing.onComplete(test.succeeding(closed -> test.verify(() -> {
              assertThat(made.closed).isTrue();
              test.completeNow();
            })));
          }
        }))));
  }
}
