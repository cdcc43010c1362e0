package dev.switchboard.runtime.store;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checks both stores make before a write, written once: an append's version, a document's
 * revision, a projection's rebuild. The store kit proves each store applies them against its data.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WriteRulesTest {

  private final String orderId = newOrderId();

  @Test
  void an_append_follows_the_version_it_expects_and_numbers_its_events_after_it() {
    StreamAppend append = new StreamAppend("orders/" + orderId, 2, List.of(orderConfirmed(orderId), orderPlaced(orderId)));

    assertThat(append.follows(2)).isEqualTo(2);
    assertThat(append.numberedAfter(2)).extracting(event -> event.sequence()).containsExactly(3L, 4L);
    assertThatThrownBy(() -> append.follows(3)).isInstanceOf(ConcurrencyConflict.class)
        .hasMessage("stream orders/" + orderId + " is at version 3, expected 2");
  }

  @Test
  void an_append_that_takes_any_version_follows_whatever_the_stream_holds() {
    StreamAppend append = new StreamAppend("orders/" + orderId, ExpectedVersion.ANY, List.of(orderPlaced(orderId)));

    assertThat(append.takesAnyVersion()).isTrue();
    assertThat(append.follows(7)).isEqualTo(7);
    assertThat(append.refusedByUniqueKey(7, "duplicate key")).hasMessage(
        "stream orders/" + orderId + " was written concurrently, or an event id repeats: duplicate key");
  }

  @Test
  void a_unique_key_refusal_says_where_the_stream_is_when_that_is_not_where_the_append_expected_it() {
    StreamAppend append = new StreamAppend("orders/" + orderId, ExpectedVersion.NONE, List.of(orderPlaced(orderId)));

    assertThat(append.refusedByUniqueKey(1, "duplicate key")).hasMessage("stream orders/" + orderId
        + " is at version 1, expected 0");
    assertThat(append.refusedByUniqueKey(0, "duplicate key")).hasMessageContaining("or an event id repeats");
  }

  @Test
  void a_document_write_makes_the_next_revision_of_the_one_it_expects() {
    DocumentWrite guarded = new DocumentWrite("stock", "sku-1", 4, new JsonObject());
    DocumentWrite unguarded = new DocumentWrite("stock", "sku-1", ExpectedVersion.ANY, new JsonObject());

    assertThat(guarded.revisionAfter(4)).isEqualTo(5);
    assertThat(unguarded.revisionAfter(9)).isEqualTo(10);
    assertThat(guarded.key()).isEqualTo(new DocumentKey("stock", "sku-1"));
    assertThatThrownBy(() -> guarded.revisionAfter(0)).isInstanceOf(ConcurrencyConflict.class)
        .hasMessage("document stock/sku-1 is at revision 0, expected 4");
  }

  @Test
  void a_rebuild_begins_once_with_the_next_generation_and_finishes_at_the_position_it_reached() {
    ProjectionState serving = new ProjectionState("orders", 3, 120, Optional.empty());

    ProjectionState begun = serving.withRebuildBegun();
    assertThat(begun.rebuild()).contains(new ProjectionState.Rebuild(4, 0));
    assertThat(begun.withRebuildBegun()).as("a rebuild under way is not begun again").isSameAs(begun);

    ProjectionState reached = new ProjectionState("orders", 3, 130, Optional.of(new ProjectionState.Rebuild(4, 125)));
    assertThat(reached.withRebuildFinished(4)).isEqualTo(new ProjectionState("orders", 4, 125, Optional.empty()));
    assertThatThrownBy(() -> reached.withRebuildFinished(5)).isInstanceOf(ProjectionMoved.class)
        .hasMessage("orders is not rebuilding generation 5");
    assertThatThrownBy(() -> serving.withRebuildFinished(4)).isInstanceOf(ProjectionMoved.class);
  }
}
