package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventType;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.switchboard.runtime.testing.Await.result;

/**
 * A consumer whose handler notes every event it is given and, as its effect, writes one document per
 * event id: revision 1 means the effect happened exactly once, however often the event came. It also
 * counts the handlers running at once.
 */
final class Recorder {

  final String name;
  private final List<Received<?>> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();
  private volatile Function<Received<?>, Future<Void>> beforeEffect = event -> Future.succeededFuture();

  Recorder(String name) {
    this.name = name;
  }

  /** Runs before each effect is returned, e.g. to make the handler slow. */
  Recorder before(Function<Received<?>, Future<Void>> hook) {
    this.beforeEffect = hook;
    return this;
  }

  EventConsumer consumerOf(EventType<?>... types) {
    EventConsumer.Builder builder = EventConsumer.named(name);
    for (EventType<?> type : types) {
      on(builder, type);
    }
    return builder.build();
  }

  private <T extends Record> void on(EventConsumer.Builder builder, EventType<T> type) {
    builder.on(type, this::record);
  }

  private <T extends Record> Future<UnitOfWork> record(Received<T> event) {
    seen.add(event);
    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    Future<Void> before;
    try {
      before = beforeEffect.apply(event);
    } catch (RuntimeException thrown) {
      before = Future.failedFuture(thrown);
    }
    return before.onComplete(done -> running.decrementAndGet())
        .map(v -> UnitOfWork.NOTHING.and(new DocumentWrite(collection(), event.envelope().id(), ExpectedVersion.ANY,
            new JsonObject().put("type", event.envelope().type()))));
  }

  /** How many handlers run right now. */
  int running() {
    return running.get();
  }

  /** The most handlers that ever ran at once. */
  int mostRunning() {
    return mostRunning.get();
  }

  /** Ids of the events the handler was given, in the order given. */
  List<String> idsSeen() {
    return seen.stream().map(r -> r.envelope().id()).toList();
  }

  /** Ids given for these subjects, in the order given. */
  List<String> idsSeenOf(Collection<String> subjects) {
    return seen.stream().filter(r -> subjects.contains(r.subject())).map(r -> r.envelope().id()).toList();
  }

  /** Whether the effect of the event is committed. */
  boolean applied(EventStore store, String eventId) {
    return result(store.document(collection(), eventId)).isPresent();
  }

  /** The revision of the event's effect: 1 if it was applied exactly once. */
  Optional<Long> effectRevision(EventStore store, String eventId) {
    return result(store.document(collection(), eventId)).map(Document::revision);
  }

  private String collection() {
    return "applied-" + name;
  }
}
