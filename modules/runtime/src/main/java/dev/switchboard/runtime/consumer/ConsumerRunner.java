package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.contracts.InvalidEnvelope;
import dev.switchboard.contracts.InvalidEventData;
import dev.switchboard.contracts.TraceParent;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.ConsumerStore;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.DeadLetterGone;
import dev.switchboard.runtime.store.RefusedByStore;
import dev.switchboard.runtime.store.StaleEvent;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.tracing.EventTracer;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Provenance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Delivers events to one consumer's handlers with the guarantees the design promises: the event is
 * checked against its schema, handled at most once in effect (the consumer's progress, written in
 * the same transaction as the effect: see {@link ConsumerStore}), retried with backoff when
 * handling fails, and routed to the dead letters (with the reason and the attempts) when it cannot
 * be handled. The returned future is the acknowledgement to the transport: it fails only when the
 * store stayed unavailable through the retries, or even the dead letter could not be written, so
 * that the transport delivers the event again rather than lose it; an outage of the store never
 * turns an event into a dead letter.
 */
public final class ConsumerRunner implements Inbound {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerRunner.class);
  /** Conflicting writes retried at once (decided again on the new state) before one counts as a failed attempt. */
  private static final int MAX_CONFLICTS_PER_ATTEMPT = 20;

  /** How a replayed dead letter ended. */
  public enum ReplayOutcome { HANDLED, DEAD_LETTERED_AGAIN }

  /** Commits a handler's work; true if it was applied, false if it was a duplicate. */
  private interface Commit {
    Future<Boolean> apply(StoredEvent event, UnitOfWork work);
  }

  private final Vertx vertx;
  private final ConsumerStore store;
  private final EventSchemas schemas;
  private final EventConsumer consumer;
  private final RetryPolicy retry;
  private final Clock clock;
  private final EventMetrics metrics;
  private final EventTracer tracer;
  private final ConsumerBatches batches;
  private final EventUpcasters upcasters;

  /** With no metrics and trace ids only (tests, tools). */
  public ConsumerRunner(Vertx vertx, ConsumerStore store, EventSchemas schemas, EventConsumer consumer,
                        RetryPolicy retry, Clock clock, EventUpcasters upcasters) {
    this(vertx, store, schemas, consumer, retry, clock, EventMetrics.none(), EventTracer.idsOnly(), upcasters);
  }

  /** @param upcasters how events of older versions are read: as the newest, which is all handlers know */
  public ConsumerRunner(Vertx vertx, ConsumerStore store, EventSchemas schemas, EventConsumer consumer,
                        RetryPolicy retry, Clock clock, EventMetrics metrics, EventTracer tracer,
                        EventUpcasters upcasters) {
    this.upcasters = upcasters;
    this.metrics = metrics;
    this.tracer = tracer;
    this.vertx = vertx;
    this.store = store;
    this.schemas = schemas;
    this.consumer = consumer;
    this.retry = retry;
    this.clock = clock;
    this.batches = new ConsumerBatches(vertx, store, consumer.name(), consumer.batches().orElse(null), this::decideOne,
        this::decode, this::alone, tracer, metrics);
  }

  public String consumer() {
    return consumer.name();
  }

  @Override
  public Future<Delivery> deliver(StoredEvent event) {
    return batches.submit(event, true);
  }

  @Override
  public Future<Delivery> deliverNew(StoredEvent event) {
    return batches.submit(event, false);
  }

  /**
   * Handles one event alone, with its retries and dead letter.
   *
   * @param firstFailure how its first attempt failed, in a batch that could blame it on this event
   *                     alone; null to make the first attempt here
   */
  private Future<Delivery> alone(StoredEvent event, Throwable firstFailure) {
    long started = System.nanoTime();
    EventTracer.Handling span = tracer.handling(consumer.name(), event.envelope());
    return handle(event, span.trace(), firstFailure).onComplete(done -> {
      String outcome = done.succeeded() ? done.result().outcome().name().toLowerCase(Locale.ROOT) : "failed";
      span.end(outcome, done.cause());
      metrics.delivered(consumer.name(), event.type(), outcome, Duration.ofNanos(System.nanoTime() - started));
    });
  }

  private Future<Delivery> handle(StoredEvent event, TraceParent trace, Throwable firstFailure) {
    String deadLetterId = UUID.randomUUID().toString();
    Received<?> received;
    try {
      received = decode(event, trace);
    } catch (PoisonEvent | InvalidEnvelope | InvalidEventData poison) {
      return deadLetter(event, deadLetterId, poison.getMessage(), 1).map(Delivery::deadLettered);
    }
    Commit commit = (stored, work) -> store.commitConsumed(consumer.name(), stored, work)
        .map(outcome -> outcome == ConsumeOutcome.APPLIED);
    if (firstFailure != null) {
      return afterFailure(event, received, commit, deadLetterId, 1, 0, firstFailure);
    }
    return store.isHandled(consumer.name(), event).compose(handled -> {
      if (handled) {
        log(event, "skipped, handled before");
        return Future.succeededFuture(Delivery.duplicate());
      }
      return attempt(event, received, commit, deadLetterId, 1, 0);
    });
  }

  @Override
  public Future<Delivery> unreadable(String payload, String reason) {
    // such a message has no event id of its own: the letter's id stands in for it
    String letterId = UUID.randomUUID().toString();
    DeadLetter letter = new DeadLetter(letterId, consumer.name(), letterId, 0, "not a CloudEvent: " + reason, 1,
        new JsonObject().put("raw", payload), clock.instant().toString());
    LOG.atError()
        .addKeyValue("deadLetterId", letter.id())
        .log("{} received a message that is not a CloudEvent: {}", consumer.name(), reason);
    return store.deadLetter(letter).map(Delivery.deadLettered(letter))
        .onSuccess(stored -> metrics.deadLettered(consumer.name(), "(unreadable)"));
  }

  @Override
  public Future<Delivery> refuse(StoredEvent event, String reason) {
    return deadLetter(event, UUID.randomUUID().toString(), "refused: " + reason, 1).map(Delivery::deadLettered);
  }

  /**
   * Handles a dead letter's event again (after the cause was fixed, say). Success removes the letter
   * in the same transaction as the effect; failure updates the letter with the new reason.
   */
  public Future<ReplayOutcome> replay(DeadLetter letter) {
    StoredEvent event;
    try {
      event = new StoredEvent(letter.position(), EventEnvelope.fromJson(letter.event()));
    } catch (InvalidEnvelope poison) {
      return Future.failedFuture(new PoisonEvent("dead letter " + letter.id() + " cannot be replayed: "
          + poison.getMessage()));
    }
    EventTracer.Handling span = tracer.handling(consumer.name(), event.envelope());
    Received<?> received;
    try {
      received = decode(event, span.trace());
    } catch (PoisonEvent | InvalidEnvelope | InvalidEventData poison) {
      span.end("failed", poison);
      return Future.failedFuture(new PoisonEvent("dead letter " + letter.id() + " cannot be replayed: "
          + poison.getMessage()));
    }
    Commit commit = (stored, work) -> store.commitReplayed(consumer.name(), letter.id(), stored, work).map(true);
    return attempt(event, received, commit, letter.id(), 1, 0)
        .onComplete(done -> span.end(done.succeeded() ? "replayed_" + done.result().outcome().name().toLowerCase(Locale.ROOT)
            : "failed", done.cause()))
        .map(delivery -> delivery.outcome() == Delivery.Outcome.DEAD_LETTERED
            ? ReplayOutcome.DEAD_LETTERED_AGAIN : ReplayOutcome.HANDLED);
  }

  /**
   * @param attempt   the attempt this is, counting failures of the handler
   * @param conflicts how many times in a row a concurrent write got in the way: deciding again on the
   *                  new state is the cure, so these do not count as attempts, up to a bound
   */
  private Future<Delivery> attempt(StoredEvent event, Received<?> received, Commit commit, String deadLetterId,
                                   int attempt, int conflicts) {
    return handleOnce(event, received, commit)
        .recover(failure -> afterFailure(event, received, commit, deadLetterId, attempt, conflicts, failure));
  }

  /** After a failed attempt: decides again, retries later, gives up (a dead letter), or fails the delivery. */
  private Future<Delivery> afterFailure(StoredEvent event, Received<?> received, Commit commit, String deadLetterId,
                                        int attempt, int conflicts, Throwable failure) {
    if (failure instanceof DeadLetterGone) {
      return Future.failedFuture(failure);
    }
    if (failure instanceof ConcurrencyConflict && conflicts < MAX_CONFLICTS_PER_ATTEMPT) {
      long pause = 1 + ThreadLocalRandom.current().nextLong(Math.min(50, 2L << Math.min(conflicts, 5)));
      return vertx.timer(pause).compose(v -> attempt(event, received, commit, deadLetterId, attempt, conflicts + 1));
    }
    if (failure instanceof StoreUnavailable && attempt >= retry.maxAttempts()) {
      // the store being down is not the event's fault: no dead letter (it could not be written
      // anyway); the failure makes the transport deliver the event again later
      return Future.failedFuture(failure);
    }
    if (failure instanceof PoisonEvent || failure instanceof StaleEvent || failure instanceof InvalidEventData
        || failure instanceof RefusedByStore || attempt >= retry.maxAttempts()) {
      return deadLetter(event, deadLetterId, describe(failure), attempt).map(Delivery::deadLettered);
    }
    long backoff = retry.backoffAfter(attempt);
    metrics.retried(consumer.name(), event.type());
    EventEnvelope envelope = event.envelope();
    LOG.atWarn()
        .addKeyValue("eventId", envelope.id())
        .addKeyValue("correlationId", envelope.correlationid())
        .addKeyValue("traceId", traceId(envelope))
        .log("{} failed on {} (attempt {} of {}), retrying in {} ms: {}", consumer.name(), event.type(),
            attempt, retry.maxAttempts(), backoff, describe(failure));
    return vertx.timer(backoff).compose(v -> attempt(event, received, commit, deadLetterId, attempt + 1, 0));
  }

  /** The event's own handler's decision; a handler that throws fails it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Future<UnitOfWork> decideOne(Received<? extends Record> received) {
    EventHandler<Record> handler = (EventHandler<Record>) consumer.route(received.event().type()).orElseThrow().handler();
    try {
      return handler.handle((Received) received);
    } catch (RuntimeException thrown) {
      return Future.failedFuture(thrown);
    }
  }

  @SuppressWarnings("unchecked")
  private Future<Delivery> handleOnce(StoredEvent event, Received<?> received, Commit commit) {
    Future<UnitOfWork> decided = decideOne((Received<? extends Record>) received);
    return decided.compose(work -> commit.apply(event, work)
        .map(applied -> {
          if (applied) {
            // live messages go out only for effects that were committed
            work.notices().forEach(notice -> vertx.eventBus().publish(notice.address(), notice.body()));
            log(event, "handled");
            return Delivery.handled();
          }
          log(event, "skipped duplicate");
          return Delivery.duplicate();
        }));
  }

  /**
   * @param trace the context of this handling: the handler sees the event as a step of it, so that
   *              what it causes continues the handling's span
   */
  private Received<? extends Record> decode(StoredEvent event, TraceParent trace) {
    EventConsumer.Route<?> route = consumer.route(event.type())
        .orElseThrow(() -> new PoisonEvent(consumer.name() + " does not handle events of type " + event.type()));
    if (!event.readFromLog()) {
      // the store validated it on append; one from a broker may come from anyone
      Provenance.refusal(event.envelope(), null).ifPresent(refusal -> {
        throw new PoisonEvent("refused: " + refusal);
      });
      schemas.validate(event.envelope());
    }
    StoredEvent seen = trace == null || trace.isWrittenAs(event.envelope().traceparent()) ? event
        : new StoredEvent(event.position(), event.envelope().withTrace(trace));
    return new Received<>(seen, event.data(upcasters, route.type()));
  }

  private Future<DeadLetter> deadLetter(StoredEvent event, String deadLetterId, String reason, int attempts) {
    EventEnvelope envelope = event.envelope();
    DeadLetter letter = new DeadLetter(deadLetterId, consumer.name(), envelope.id(), event.position(), reason,
        attempts, envelope.toJson(), clock.instant().toString());
    LOG.atError()
        .addKeyValue("eventId", envelope.id())
        .addKeyValue("correlationId", envelope.correlationid())
        .addKeyValue("traceId", traceId(envelope))
        .addKeyValue("deadLetterId", letter.id())
        .log("{} gave up on {} after {} attempt(s): {}", consumer.name(), event.type(), attempts, reason);
    return store.deadLetter(letter).map(letter).onSuccess(stored -> metrics.deadLettered(consumer.name(), event.type()));
  }

  private void log(StoredEvent event, String what) {
    EventEnvelope envelope = event.envelope();
    LOG.atDebug()
        .addKeyValue("eventId", envelope.id())
        .addKeyValue("correlationId", envelope.correlationid())
        .addKeyValue("traceId", traceId(envelope))
        .log("{} {} {}", consumer.name(), what, event.type());
  }

  private static String traceId(EventEnvelope envelope) {
    return envelope.trace().map(TraceParent::traceId).orElse(null);
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
