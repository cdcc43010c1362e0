package dev.switchboard.transports.kafka;

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
import java.util.function.Function;

import static dev.switchboard.runtime.testing.Await.result;

/**
 * A consumer whose handler notes every event it is given and, as its effect, writes one document per
 * event id: revision 1 means the effect happened exactly once, however often the event came.
 */
final class Recorder {

  final String name;
  private final List<Received<?>> seen = new CopyOnWriteArrayList<>();
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
    return beforeEffect.apply(event).map(v -> UnitOfWork.NOTHING.and(new DocumentWrite(collection(),
        event.envelope().id(), ExpectedVersion.ANY, new JsonObject().put("type", event.envelope().type()))));
  }

  /** Ids of the events the handler was given, in the order given, of these subjects only. */
  List<String> idsSeenOf(Collection<String> subjects) {
    return seen.stream().filter(r -> subjects.contains(r.subject())).map(r -> r.envelope().id()).toList();
  }

  /** Types given for one subject, in order. */
  List<String> typesSeenOf(String subject) {
    return seen.stream().filter(r -> r.subject().equals(subject)).map(r -> r.envelope().type()).toList();
  }

  /** Whether the effect of the event is committed (the handler may have been given it before that). */
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
