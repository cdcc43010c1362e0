package dev.switchboard.runtime.store.write;

import dev.switchboard.runtime.store.ProjectionMoved;
import dev.switchboard.runtime.store.ProjectionState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-model writes both stores share, against statements that answer only when told to: a
 * batch's rows go out with the move of its position before either is answered, and a rebuild takes
 * its steps in order. The store kit proves the same writes against both real stores.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadModelWritesTest {

  private final Recorder statements = new Recorder();
  private final ReadModelWrites writes = new ReadModelWrites(new ReadModelWrites.Writer() {
    @Override
    public <T> Future<T> write(Function<ReadModelStatements, Future<T>> run) {
      return run.apply(statements);
    }
  });

  @Test
  void a_batch_sends_its_rows_with_the_move_of_its_position_and_fails_whole_if_the_projection_moved() {
    Map<String, JsonObject> rows = new HashMap<>();
    rows.put("o-1", new JsonObject().put("status", "CONFIRMED"));
    rows.put("o-2", null);

    Future<Void> applied = writes.apply("orders", 2, 40, 45, rows);

    assertThat(statements.sent).containsExactly("move orders 2 40→45", "rows orders 2 @45 {o-1={\"status\":\"CONFIRMED\"}, o-2=null}");
    statements.moved.complete(false);
    statements.rowsWritten.complete();
    assertThat(applied.cause()).isInstanceOf(ProjectionMoved.class)
        .hasMessage("orders generation 2 is not at position 40 any more");
  }

  @Test
  void a_rebuild_begins_on_a_fresh_table_of_the_next_generation_and_finishes_by_dropping_the_old_one() {
    statements.state = new ProjectionState("orders", 3, 120, Optional.empty());

    ProjectionState begun = writes.beginRebuild("orders").result();
    assertThat(begun.rebuild()).contains(new ProjectionState.Rebuild(4, 0));
    assertThat(statements.sent).containsExactly("state orders", "drop orders 4 if it exists", "create orders 4",
        "rebuild orders 4");

    statements.sent.clear();
    statements.state = new ProjectionState("orders", 3, 130, Optional.of(new ProjectionState.Rebuild(4, 126)));
    ProjectionState finished = writes.finishRebuild("orders", 4).result();
    assertThat(finished).isEqualTo(new ProjectionState("orders", 4, 126, Optional.empty()));
    assertThat(statements.sent).containsExactly("state orders", "serve orders 4 @126", "drop orders 3");
  }

  @Test
  void a_rebuild_under_way_is_not_begun_again_and_another_generation_cannot_finish_it() {
    statements.state = new ProjectionState("orders", 3, 130, Optional.of(new ProjectionState.Rebuild(4, 126)));

    assertThat(writes.beginRebuild("orders").result()).isEqualTo(statements.state);
    assertThat(writes.finishRebuild("orders", 5).cause()).isInstanceOf(ProjectionMoved.class);
    assertThat(statements.sent).containsExactly("state orders", "state orders");
  }

  /** Records what is sent; a batch's answers come when the test says. */
  private static final class Recorder implements ReadModelStatements {
    final List<String> sent = new ArrayList<>();
    final Promise<Boolean> moved = Promise.promise();
    final Promise<Void> rowsWritten = Promise.promise();
    ProjectionState state;

    @Override
    public Future<ProjectionState> registered(String name) {
      sent.add("register " + name);
      return Future.succeededFuture(state);
    }

    @Override
    public Future<ProjectionState> state(String name) {
      sent.add("state " + name);
      return Future.succeededFuture(state);
    }

    @Override
    public Future<Void> createTable(String name, int generation) {
      sent.add("create " + name + " " + generation);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> dropTable(String name, int generation, boolean ifExists) {
      sent.add("drop " + name + " " + generation + (ifExists ? " if it exists" : ""));
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> movePosition(String name, int generation, long from, long to) {
      sent.add("move " + name + " " + generation + " " + from + "→" + to);
      return moved.future();
    }

    @Override
    public Future<Void> writeRows(String name, int generation, long position, Map<String, String> bodies) {
      sent.add("rows " + name + " " + generation + " @" + position + " " + new TreeMap<>(bodies));
      return rowsWritten.future();
    }

    @Override
    public Future<Void> rebuildBegun(ProjectionState begun) {
      sent.add("rebuild " + begun.name() + " " + begun.rebuild().orElseThrow().generation());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> serve(ProjectionState serving) {
      sent.add("serve " + serving.name() + " " + serving.generation() + " @" + serving.position());
      return Future.succeededFuture();
    }
  }
}
