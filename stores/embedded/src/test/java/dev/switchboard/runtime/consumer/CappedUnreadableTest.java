package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/** A dead letter keeps a bounded part of a message that is no CloudEvent, and says how long it was. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CappedUnreadableTest {

  @TempDir
  Path dir;

  @Test
  void a_huge_unreadable_message_is_dead_lettered_cut_to_the_cap_with_a_marker(Vertx vertx) {
    EventStore store = result(TestStores.embedded(vertx, dir));
    try {
      CappedUnreadable capped = cappedAt1000(vertx, store);
      String garbage = "<xml>" + "A".repeat(1_000_000);

      Await.onContext(vertx.getOrCreateContext(), () -> capped.unreadable(garbage, "not JSON"));

      List<DeadLetter> letters = result(store.deadLetters(10));
      assertThat(letters).singleElement().satisfies(letter -> {
        String raw = letter.event().getString("raw");
        assertThat(raw).startsWith("<xml>AAA").endsWith("…[cut: 1000005 bytes in all]");
        assertThat(raw.length()).isLessThan(1_100);
        assertThat(letter.reason()).contains("not JSON");
      });
    } finally {
      result(store.close());
    }
  }

  @Test
  void an_event_refused_for_where_it_came_from_is_dead_lettered_as_refused_with_its_envelope(Vertx vertx) {
    EventStore store = result(TestStores.embedded(vertx, dir));
    try {
      CappedUnreadable capped = cappedAt1000(vertx, store);
      EventEnvelope forged = TestEvents.orderPlaced(TestEvents.newOrderId());

      Await.onContext(vertx.getOrCreateContext(),
          () -> capped.refuse(new StoredEvent(0, forged), "OrderPlaced came on the channel of inventory"));

      assertThat(result(store.deadLetters(10))).singleElement().satisfies(letter -> {
        assertThat(letter.reason()).isEqualTo("refused: OrderPlaced came on the channel of inventory");
        assertThat(letter.eventId()).isEqualTo(forged.id());
        assertThat(letter.event().getString("type")).as("the envelope, not its text").isEqualTo("OrderPlaced");
      });
    } finally {
      result(store.close());
    }
  }

  @Test
  void a_cut_never_splits_a_character_and_a_payload_within_the_cap_is_kept_whole() {
    String text = "é".repeat(10) + "😀".repeat(10); // 2 bytes each, then 4 bytes each: 60 bytes

    assertThat(CappedUnreadable.cap(text, 60)).isEqualTo(text);
    String cut = CappedUnreadable.cap(text, 25); // 20 bytes of é, one emoji (24), then half of the next
    assertThat(cut).startsWith("é".repeat(10) + "😀…").doesNotContain("\uFFFD")
        .endsWith("…[cut: 60 bytes in all]");
    assertThat(cut.substring(0, cut.indexOf('…')).getBytes(StandardCharsets.UTF_8)).hasSize(24);
    assertThat(CappedUnreadable.cap(null, 10)).isNull();
  }

  /** Inventory's runner on {@code store}, behind a cap of 1,000 bytes. */
  private static CappedUnreadable cappedAt1000(Vertx vertx, EventStore store) {
    EventConsumer consumer = EventConsumer.named("inventory")
        .on(EventCatalog.ORDER_PLACED, event -> Future.succeededFuture(UnitOfWork.NOTHING)).build();
    ConsumerRunner runner = new ConsumerRunner(vertx, store, TestStores.schemas(), consumer,
        new RetryPolicy(3, 5, 20), Clock.systemUTC(),
            DefaultShop.upcasters());
    return new CappedUnreadable(runner, 1_000);
  }
}
