package dev.switchboard.runtime.transport.delivery;

import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.transport.Delivery;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A message handed to its consumer again, in place, until something durable happened or there is no point. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HandOverTest {

  private static final RetryPolicy QUICK = RetryPolicy.withoutEnd(1, 4);
  private static final RetryPolicy SLOW = RetryPolicy.withoutEnd(60_000, 60_000);

  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicInteger attempts = new AtomicInteger();

  @Test
  void a_message_is_handed_over_again_while_nothing_is_recorded_and_is_done_once_it_is(Vertx vertx,
                                                                                        VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> new HandOver(vertx, context, "mailer", QUICK, closing::get)
        .handOver("message 1", Optional.empty(), () -> true, () -> attempts.incrementAndGet() < 4
            ? Future.failedFuture(new IllegalStateException("store down")) : Future.succeededFuture(Delivery.handled()))
        .onComplete(test.succeeding(outcome -> test.verify(() -> {
          assertThat(outcome).isEqualTo(new HandOver.Outcome.Done(Delivery.handled()));
          assertThat(attempts).hasValue(4);
          assertThat(Vertx.currentContext()).as("the outcome comes back on the subscription's context").isSameAs(context);
          test.completeNow();
        }))));
  }

  @Test
  void a_consumer_that_throws_or_returns_no_future_counts_as_nothing_recorded(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> new HandOver(vertx, context, "mailer", QUICK, closing::get)
        .handOver("message 1", Optional.empty(), () -> true, () -> switch (attempts.incrementAndGet()) {
          case 1 -> throw new IllegalStateException("boom");
          case 2 -> null;
          default -> Future.succeededFuture(Delivery.duplicate());
        })
        .onComplete(test.succeeding(outcome -> test.verify(() -> {
          assertThat(outcome).isEqualTo(new HandOver.Outcome.Done(Delivery.duplicate()));
          assertThat(attempts).hasValue(3);
          test.completeNow();
        }))));
  }

  @Test
  void a_closing_subscription_gives_the_message_back_instead_of_trying_again(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    closing.set(true);
    context.runOnContext(v -> new HandOver(vertx, context, "mailer", QUICK, closing::get)
        .handOver("message 1", Optional.empty(), () -> true, () -> {
          attempts.incrementAndGet();
          return Future.failedFuture(new IllegalStateException("store down"));
        })
        .onComplete(test.succeeding(outcome -> test.verify(() -> {
          assertThat(outcome).isEqualTo(new HandOver.Outcome.GiveBack());
          assertThat(attempts).hasValue(1);
          test.completeNow();
        }))));
  }

  @Test
  void a_message_the_broker_no_longer_holds_is_abandoned_before_and_between_attempts(Vertx vertx,
                                                                                     VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    AtomicBoolean held = new AtomicBoolean(true);
    context.runOnContext(v -> {
      HandOver handOver = new HandOver(vertx, context, "mailer", QUICK, closing::get);
      Future<HandOver.Outcome> never = handOver.handOver("message 1", Optional.empty(), () -> false, () -> {
        attempts.incrementAndGet();
        return Future.succeededFuture(Delivery.handled());
      });
      Future<HandOver.Outcome> lost = handOver.handOver("message 2", Optional.empty(), held::get, () -> {
        attempts.incrementAndGet();
        held.set(false); // the link goes while the consumer fails
        return Future.failedFuture(new IllegalStateException("store down"));
      });
      Future.all(never, lost).onComplete(test.succeeding(both -> test.verify(() -> {
        assertThat(never.result()).isEqualTo(new HandOver.Outcome.Abandoned());
        assertThat(lost.result()).isEqualTo(new HandOver.Outcome.Abandoned());
        assertThat(attempts).as("only message 2 was tried, once").hasValue(1);
        test.completeNow();
      })));
    });
  }

  @Test
  void closing_cuts_a_backoff_short_and_the_message_goes_back_at_once(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      HandOver handOver = new HandOver(vertx, context, "mailer", SLOW, closing::get);
      long started = System.nanoTime();
      handOver.handOver("message 1", Optional.empty(), () -> true, () -> {
        if (attempts.incrementAndGet() == 1) {
          // the first failure starts a wait of about a minute; the subscription closes meanwhile
          vertx.setTimer(50, id -> {
            closing.set(true);
            handOver.cutShort();
          });
        }
        return Future.failedFuture(new IllegalStateException("store down"));
      }).onComplete(test.succeeding(outcome -> test.verify(() -> {
        assertThat(outcome).isEqualTo(new HandOver.Outcome.GiveBack());
        assertThat(attempts).as("tried again once the wait was cut short, then given back").hasValue(2);
        assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
        test.completeNow();
      })));
    });
  }
}
