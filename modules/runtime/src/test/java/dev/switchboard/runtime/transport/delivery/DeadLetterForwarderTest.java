package dev.switchboard.runtime.transport.delivery;

import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.transport.Delivery;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which deliveries leave a copy on the broker's dead-letter channel, and that a failed copy holds nothing up. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DeadLetterForwarderTest {

  private static final DeadLetter LETTER = new DeadLetter("letter-1", "inventory", "event-1", 0, "why", 3,
      new JsonObject().put("id", "event-1").put("subject", "order-7"), "2030-01-02T03:04:05Z");

  private final List<DeadLetter> sent = new ArrayList<>();

  @Test
  void a_dead_lettered_delivery_is_copied_once_with_its_letter() {
    DeadLetterForwarder forwarder = new DeadLetterForwarder("inventory", "switchboard.inventory.dlq", letter -> {
      sent.add(letter);
      return Future.succeededFuture();
    });

    Future<Void> copied = forwarder.forward(Delivery.deadLettered(LETTER));

    assertThat(copied.succeeded()).isTrue();
    assertThat(sent).containsExactly(LETTER);
  }

  @Test
  void a_handled_or_duplicate_delivery_leaves_no_copy() {
    DeadLetterForwarder forwarder = new DeadLetterForwarder("inventory", "switchboard.inventory.dlq", letter -> {
      sent.add(letter);
      return Future.succeededFuture();
    });

    assertThat(forwarder.forward(Delivery.handled()).succeeded()).isTrue();
    assertThat(forwarder.forward(Delivery.duplicate()).succeeded()).isTrue();
    assertThat(sent).isEmpty();
  }

  @Test
  void a_copy_the_broker_refuses_or_a_send_that_throws_is_no_failure_the_store_holds_the_letter() {
    DeadLetterForwarder refused = new DeadLetterForwarder("inventory", "switchboard.inventory.dlq",
        letter -> Future.failedFuture(new IllegalStateException("broker away")));
    DeadLetterForwarder thrown = new DeadLetterForwarder("inventory", "switchboard.inventory.dlq", letter -> {
      throw new IllegalStateException("not connected");
    });

    assertThat(refused.forward(Delivery.deadLettered(LETTER)).succeeded()).isTrue();
    assertThat(thrown.forward(Delivery.deadLettered(LETTER)).succeeded()).isTrue();
  }

  @Test
  void a_copy_is_keyed_by_its_events_subject_or_else_by_the_letter_id() {
    DeadLetter unreadable = new DeadLetter("letter-2", "inventory", "letter-2", 0, "not a CloudEvent", 1,
        new JsonObject().put("raw", "garbage"), "2030-01-02T03:04:05Z");
    DeadLetter blankSubject = new DeadLetter("letter-3", "inventory", "event-3", 0, "why", 1,
        new JsonObject().put("subject", " "), "2030-01-02T03:04:05Z");
    DeadLetter noEvent = new DeadLetter("letter-4", "inventory", "event-4", 0, "why", 1, null,
        "2030-01-02T03:04:05Z");

    assertThat(DeadLetterForwarder.keyOf(LETTER)).isEqualTo("order-7");
    assertThat(DeadLetterForwarder.keyOf(unreadable)).isEqualTo("letter-2");
    assertThat(DeadLetterForwarder.keyOf(blankSubject)).isEqualTo("letter-3");
    assertThat(DeadLetterForwarder.keyOf(noEvent)).isEqualTo("letter-4");
  }
}
