package dev.switchboard.runtime.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SubjectLanesTest {

  @Test
  void deliveries_of_one_subject_run_one_after_another_in_the_order_submitted() {
    SubjectLanes lanes = new SubjectLanes(10);
    List<String> started = new ArrayList<>();
    Promise<Void> first = Promise.promise();

    lanes.submit("order-1", () -> { started.add("first"); return first.future(); });
    lanes.submit("order-1", () -> { started.add("second"); return Future.succeededFuture(); });
    assertThat(started).containsExactly("first");

    first.complete();
    assertThat(started).containsExactly("first", "second");
  }

  @Test
  void a_failed_delivery_does_not_stop_the_next_of_its_subject() {
    SubjectLanes lanes = new SubjectLanes(10);
    AtomicInteger ran = new AtomicInteger();

    Future<Void> failed = lanes.submit("order-1", () -> Future.failedFuture(new IllegalStateException("boom")));
    Future<Void> thrown = lanes.submit("order-1", () -> { throw new IllegalStateException("thrown"); });
    lanes.submit("order-1", () -> { ran.incrementAndGet(); return Future.succeededFuture(); });

    assertThat(failed.failed()).isTrue();
    assertThat(thrown.cause()).hasMessage("thrown");
    assertThat(ran).hasValue(1);
  }

  @Test
  void different_subjects_do_not_wait_for_each_other() {
    SubjectLanes lanes = new SubjectLanes(10);
    List<String> started = new ArrayList<>();

    lanes.submit("order-1", () -> { started.add("order-1"); return Promise.<Void>promise().future(); });
    lanes.submit("order-2", () -> { started.add("order-2"); return Future.succeededFuture(); });

    assertThat(started).containsExactly("order-1", "order-2");
  }

  @Test
  void the_lanes_are_full_at_capacity_and_say_when_there_is_room_again() {
    SubjectLanes lanes = new SubjectLanes(2);
    AtomicInteger roomCalls = new AtomicInteger();
    lanes.onRoom(roomCalls::incrementAndGet);
    Promise<Void> one = Promise.promise();
    Promise<Void> two = Promise.promise();

    lanes.submit("a", one::future);
    assertThat(lanes.hasRoom()).isTrue();
    lanes.submit("b", two::future);
    assertThat(lanes.hasRoom()).isFalse();

    one.complete();
    assertThat(lanes.hasRoom()).isTrue();
    assertThat(roomCalls).hasValue(1);
    two.complete();
    assertThat(roomCalls).hasValue(1);
    assertThat(lanes.admitted()).isZero();
  }

  @Test
  void drained_completes_once_everything_admitted_has_finished() {
    SubjectLanes lanes = new SubjectLanes(5);
    Promise<Void> slow = Promise.promise();
    lanes.submit("a", slow::future);
    lanes.submit("a", () -> Future.succeededFuture());

    Future<Void> drained = lanes.drained();
    assertThat(drained.isComplete()).isFalse();
    slow.complete();
    assertThat(drained.succeeded()).isTrue();
    assertThat(new SubjectLanes(1).drained().succeeded()).isTrue();
  }
}
