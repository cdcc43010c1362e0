package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.InvalidEnvelope;
import dev.switchboard.contracts.InvalidEventData;
import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StaleEvent;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.UUID;

/**
 * Delivers events to one consumer's handlers with the guarantees the design promises: the event is
 * checked against its schema, handled at most once in effect (the inbox, written in the same
 * transaction as the effect), retried with backoff when handling fails, and routed to the dead
 * letters (with the reason and the attempts) when it cannot be handled. The returned future is the
 * acknowledgement to the transport: it fails only when even the dead letter could not be written,
 * so that the transport delivers the event again rather than lose it.
 */
public final class ConsumerRunner {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerRunner.class);

  private final Vertx vertx;
  private final EventStore store;
  private final EventSchemas schemas;
  private final EventConsumer consumer;
  private final RetryPolicy retry;
  private final Clock clock;

  public ConsumerRunner(Vertx vertx, EventStore store, EventSchemas schemas, EventConsumer consumer,
                        RetryPolicy retry, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.schemas = schemas;
    this.consumer = consumer;
    this.retry = retry;
    this.clock = clock;
  }

  public String consumer() {
    return consumer.name();
  }

  public Future<Void> deliver(StoredEvent event) {
    Received<?> received;
    EventHandler<Record> handler;
    try {
      EventConsumer.Route<?> route = consumer.route(event.type())
          .orElseThrow(() -> new PoisonEvent(consumer.name() + " does not handle events of type " + event.type()));
      schemas.validate(event.envelope());
      received = decode(event, route);
      handler = handlerOf(route);
    } catch (PoisonEvent | InvalidEnvelope | InvalidEventData poison) {
      return deadLetter(event, poison.getMessage(), 1);
    }
    return store.isHandled(consumer.name(), event.id()).compose(handled -> {
      if (handled) {
        LOG.debug("{} skips {} {}: handled before (correlation {})", consumer.name(), event.type(), event.id(),
            event.envelope().correlationid());
        return Future.succeededFuture();
      }
      return attempt(event, received, handler, 1);
    });
  }

  private Future<Void> attempt(StoredEvent event, Received<?> received, EventHandler<Record> handler, int attempt) {
    return handleOnce(event, received, handler).recover(failure -> {
      if (failure instanceof PoisonEvent || failure instanceof StaleEvent || failure instanceof InvalidEventData
          || attempt >= retry.maxAttempts()) {
        return deadLetter(event, describe(failure), attempt);
      }
      long backoff = retry.backoffAfter(attempt);
      EventEnvelope envelope = event.envelope();
      LOG.atWarn()
          .addKeyValue("eventId", envelope.id())
          .addKeyValue("correlationId", envelope.correlationid())
          .log("{} failed on {} {} (attempt {} of {}), retrying in {} ms: {}", consumer.name(), event.type(),
              event.id(), attempt, retry.maxAttempts(), backoff, describe(failure));
      return vertx.timer(backoff).compose(v -> attempt(event, received, handler, attempt + 1));
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Future<Void> handleOnce(StoredEvent event, Received<?> received, EventHandler<Record> handler) {
    Future<UnitOfWork> decided;
    try {
      decided = handler.handle((Received) received);
    } catch (RuntimeException thrown) {
      decided = Future.failedFuture(thrown);
    }
    return decided
        .compose(work -> store.commitConsumed(consumer.name(), event, work)
            .onSuccess(outcome -> {
              if (outcome == ConsumeOutcome.APPLIED) {
                work.notices().forEach(notice -> vertx.eventBus().publish(notice.address(), notice.body()));
              }
            }))
        .map(outcome -> {
          EventEnvelope envelope = event.envelope();
          LOG.atDebug()
              .addKeyValue("eventId", envelope.id())
              .addKeyValue("correlationId", envelope.correlationid())
              .log("{} {} {} {}", consumer.name(), outcome == ConsumeOutcome.APPLIED ? "handled" : "skipped duplicate",
                  event.type(), event.id());
          return null;
        });
  }

  private Future<Void> deadLetter(StoredEvent event, String reason, int attempts) {
    EventEnvelope envelope = event.envelope();
    DeadLetter letter = new DeadLetter(UUID.randomUUID().toString(), consumer.name(), envelope.id(),
        event.position(), reason, attempts, envelope.toJson(), clock.instant().toString());
    LOG.atError()
        .addKeyValue("eventId", envelope.id())
        .addKeyValue("correlationId", envelope.correlationid())
        .addKeyValue("deadLetterId", letter.id())
        .log("{} gave up on {} {} after {} attempt(s): {}", consumer.name(), event.type(), event.id(), attempts, reason);
    return store.deadLetter(letter);
  }

  private static Received<?> decode(StoredEvent event, EventConsumer.Route<?> route) {
    return new Received<>(event, EventData.decode(event.envelope().data(), route.type().dataClass()));
  }

  @SuppressWarnings("unchecked")
  private static EventHandler<Record> handlerOf(EventConsumer.Route<?> route) {
    return (EventHandler<Record>) route.handler();
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
