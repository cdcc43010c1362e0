package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventEnvelope;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Works put together keep every effect, in the order the works came. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UnitOfWorkTest {

  private static StreamAppend append(String streamId) {
    return new StreamAppend(streamId, ExpectedVersion.NONE, List.of(new EventEnvelope("e-" + streamId, "A", "test",
        streamId, "2026-12-06T00:00:00Z", null, 1, 0, null, null, new JsonObject())));
  }

  private static DocumentWrite document(String id) {
    return new DocumentWrite("stock", id, ExpectedVersion.ANY, new JsonObject().put("id", id));
  }

  @Test
  void works_together_are_the_works_one_after_another_as_folding_them_gives() {
    UnitOfWork first = UnitOfWork.of(append("s-1")).and(document("d-1")).andNotify("orders.status", new JsonObject());
    UnitOfWork second = UnitOfWork.NOTHING.and(document("d-2"));
    UnitOfWork third = UnitOfWork.of(append("s-2")).and(append("s-3")).andNotify("orders.live", new JsonObject());

    UnitOfWork together = UnitOfWork.together(List.of(first, second, third));

    assertThat(together.appends()).extracting(StreamAppend::streamId).containsExactly("s-1", "s-2", "s-3");
    assertThat(together.documents()).extracting(DocumentWrite::id).containsExactly("d-1", "d-2");
    assertThat(together.notices()).extracting(UnitOfWork.Notice::address).containsExactly("orders.status", "orders.live");
    assertThat(together).isEqualTo(first.and(second).and(third));
  }

  @Test
  void no_works_together_are_nothing() {
    assertThat(UnitOfWork.together(List.of())).isEqualTo(UnitOfWork.NOTHING);
    assertThat(UnitOfWork.together(List.of()).isEmpty()).isTrue();
  }
}
