package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.TraceParent;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.store.ConsumerStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.tracing.EventTracer;
import dev.switchboard.runtime.transport.Delivery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides a consumer's events in batches: the events delivered while earlier batches are being
 * decided and committed wait, and are decided together next; all of a batch's effects commit with
 * the consumer's progress in one transaction. No two events of one subject are ever in flight
 * together, so an order's events still take effect one after another, each on what the one before
 * committed.
 *
 * <p>A consumer {@link EventConsumer.Builder#inBatches built in batches} decides a batch with its
 * {@link BatchHandler}, one batch at a time, each on the state the one before committed (its
 * decisions share state). Any other decides each event of a batch with the event's own handler, side
 * by side (its events are independent of each other), with a few batches in flight; the events
 * whose handler failed are taken out of the batch. When a batch cannot be committed (an event
 * handled before, a concurrent write from another node, the store away), its events are handed to
 * the one-at-a-time path in their order, which sorts out each with its retries, duplicates and dead
 * letters; so is an event that cannot be decoded or decided. For independent events, such an
 * event holds back only the later events of its own subject; a consumer deciding on shared state
 * waits for it before its next batch. Not thread-safe: used on the consumer's context only.
 */
final class ConsumerBatches {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerBatches.class);
  /** Bounds one transaction: what is beyond it waits for the next batch. */
  static final int MAX_BATCH = 256;
  /**
   * Batches in flight at once for a consumer whose events are independent: while one commits (an
   * fsync, a round trip), the next is being decided, as the store's group commit takes them together.
   */
  static final int MAX_IN_FLIGHT_INDEPENDENT = 4;

  /** Handles one event alone, with retries and dead letters; after its first attempt if that failed already. */
  interface OneByOne {
    Future<Delivery> deliver(StoredEvent event, Throwable firstFailure);
  }

  /** Decodes an event for its handler, in the given trace; throws if it is poison. */
  interface Decoder {
    Received<? extends Record> decode(StoredEvent event, TraceParent trace);
  }

  /** Decides one event with its own handler. */
  interface OneDecision {
    Future<UnitOfWork> decide(Received<? extends Record> event);
  }

  /** What a batch decided: the work of the events decided, and the events whose handler failed. */
  private record Decisions(List<Decided> decided, UnitOfWork work, List<Alone> undecided) {
  }

  /** An event for the one-at-a-time path, and how its first attempt failed (null: none was made). */
  private record Alone(Waiting waiting, Throwable firstFailure) {
  }

  /** An event waiting for its batch; {@code maybeHandled}: it may have been handled already (delivered again). */
  private record Waiting(StoredEvent event, boolean maybeHandled, Promise<Delivery> done) {
  }

  private record Decided(Waiting waiting, EventTracer.Handling span, Received<? extends Record> received) {
  }

  private final Vertx vertx;
  private final ConsumerStore store;
  private final String consumer;
  /** The consumer's own; null: each event is decided by its own handler. */
  private final BatchHandler handler;
  private final OneDecision oneDecision;
  private final Decoder decoder;
  private final OneByOne oneByOne;
  private final EventTracer tracer;
  private final EventMetrics metrics;
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private final Set<String> subjectsInFlight = new HashSet<>();
  /** One batch at a time for a consumer that decides on shared state; else a few, side by side. */
  private final int maxInFlight;
  private int inFlight;
  /** A turn of the context is coming that takes the waiting events into batches. */
  private boolean decideScheduled;

  ConsumerBatches(Vertx vertx, ConsumerStore store, String consumer, BatchHandler handler, OneDecision oneDecision,
                  Decoder decoder, OneByOne oneByOne, EventTracer tracer, EventMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.consumer = consumer;
    this.handler = handler;
    this.maxInFlight = handler == null ? MAX_IN_FLIGHT_INDEPENDENT : 1;
    this.oneDecision = oneDecision;
    this.decoder = decoder;
    this.oneByOne = oneByOne;
    this.tracer = tracer;
    this.metrics = metrics;
  }

  /**
   * Completes once the event's batch was committed, or the event was handled alone.
   *
   * @param maybeHandled false if the event cannot have been handled (read from the log after every
   *                     event the consumer handled): then the store is not asked about it before it
   *                     is decided
   */
  Future<Delivery> submit(StoredEvent event, boolean maybeHandled) {
    Promise<Delivery> done = Promise.promise();
    waiting.addLast(new Waiting(event, maybeHandled, done));
    scheduleDecide();
    return done.future();
  }

  /**
   * Takes batches on the context's next turn rather than now: a transport hands what it received
   * over event by event (a broker's client one message per task, the log a batch in a loop), and
   * whatever else arrives before that turn joins the same batch instead of starting one of its own,
   * each with its own transaction.
   */
  private void scheduleDecide() {
    if (!decideScheduled) {
      decideScheduled = true;
      vertx.getOrCreateContext().runOnContext(v -> {
        decideScheduled = false;
        decideNext();
      });
    }
  }

  private void decideNext() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      List<Waiting> batch = takeBatch();
      if (batch.isEmpty()) {
        return; // every waiting event's subject is in a batch in flight: one of them finishing calls again
      }
      inFlight++;
      decide(batch).onComplete(finished -> {
        List<Alone> left = finished.result();
        batch.stream().filter(each -> left.stream().noneMatch(one -> one.waiting() == each))
            .forEach(each -> subjectsInFlight.remove(subjectOf(each)));
        Future<Void> aloneDone = alone(batch, left);
        if (handler == null) {
          // independent events: the next batch goes ahead at once, and an event left to handle
          // alone (retrying, say) holds back only later events of its own subject
          inFlight--;
          decideNext();
        } else {
          // decisions on shared state: an event decided alone beside the next batches would make
          // their commits conflict with its own, and send them to the one-at-a-time path too
          aloneDone.onComplete(done -> {
            inFlight--;
            decideNext();
          });
        }
      });
    }
  }

  private List<Waiting> takeBatch() {
    List<Waiting> batch = new ArrayList<>();
    for (Iterator<Waiting> next = waiting.iterator(); next.hasNext() && batch.size() < MAX_BATCH; ) {
      Waiting candidate = next.next();
      // an event of a subject in flight is decided on what that one leaves: in a later batch
      if (subjectsInFlight.add(subjectOf(candidate))) {
        batch.add(candidate);
        next.remove();
      }
    }
    return batch;
  }

  private static String subjectOf(Waiting event) {
    return Objects.requireNonNullElse(event.event().envelope().subject(), event.event().id());
  }

  /** Completes, never failing, once the batch committed or failed, with the events left to handle alone. */
  private Future<List<Alone>> decide(List<Waiting> batch) {
    long started = System.nanoTime();
    List<Decided> decided = new ArrayList<>(batch.size());
    List<Alone> left = new ArrayList<>();
    for (Waiting each : batch) {
      EventTracer.Handling span = tracer.handling(consumer, each.event().envelope());
      try {
        decided.add(new Decided(each, span, decoder.decode(each.event(), span.trace())));
      } catch (RuntimeException unreadable) {
        span.end("handled_alone", unreadable);
        left.add(new Alone(each, null)); // the one-at-a-time path dead-letters it, with the reason
      }
    }
    if (decided.isEmpty()) {
      return Future.succeededFuture(left);
    }
    // handled before (delivered again after a restart, say): acknowledged without deciding again,
    // so that no handler's outside effect (a notification sent) is repeated
    List<StoredEvent> maybeHandled = decided.stream().filter(each -> each.waiting().maybeHandled())
        .map(each -> each.waiting().event()).toList();
    Future<Set<String>> handledBefore = maybeHandled.isEmpty() ? Future.succeededFuture(Set.of())
        : store.handledAmong(consumer, maybeHandled);
    return handledBefore.transform(read -> {
      if (read.failed()) {
        decided.forEach(each -> {
          each.span().end("handled_alone", read.cause());
          left.add(new Alone(each.waiting(), null));
        });
        return Future.succeededFuture(left);
      }
      List<Decided> fresh = new ArrayList<>();
      for (Decided each : decided) {
        if (read.result().contains(each.waiting().event().id())) {
          each.span().end("duplicate", null);
          metrics.delivered(consumer, each.waiting().event().type(), "duplicate",
              Duration.ofNanos(System.nanoTime() - started));
          each.waiting().done().complete(Delivery.duplicate());
        } else {
          fresh.add(each);
        }
      }
      return fresh.isEmpty() ? Future.succeededFuture(left) : decideFresh(fresh, started).map(undone -> {
        left.addAll(undone);
        return left;
      });
    });
  }

  /** Decides and commits the events not handled before; completes with those left to handle alone. */
  private Future<List<Alone>> decideFresh(List<Decided> fresh, long started) {
    return decideAll(fresh).transform(decisions -> {
      if (decisions.failed()) {
        return Future.succeededFuture(aloneAfter(fresh, decisions.cause()));
      }
      Decisions decided = decisions.result();
      return commit(decided, started).transform(committed -> {
        List<Alone> undone = new ArrayList<>(decided.undecided());
        if (committed.failed()) {
          undone.addAll(aloneAfter(decided.decided(), committed.cause()));
        }
        return Future.succeededFuture(undone);
      });
    });
  }

  /**
   * The events of a batch that failed as a whole, for the one-at-a-time path: the failure counts as
   * the first attempt of an event that was alone in it, the only one it can be blamed on.
   */
  private static List<Alone> aloneAfter(List<Decided> events, Throwable failure) {
    events.forEach(each -> each.span().end("handled_alone", failure));
    Throwable blamed = events.size() == 1 ? failure : null;
    return events.stream().map(each -> new Alone(each.waiting(), blamed)).toList();
  }

  /** Commits what was decided and acknowledges its events; fails if it could not commit. */
  private Future<Void> commit(Decisions decisions, long started) {
    if (decisions.decided().isEmpty()) {
      return Future.succeededFuture();
    }
    List<StoredEvent> causes = decisions.decided().stream().map(each -> each.waiting().event()).toList();
    return store.commitConsumedTogether(consumer, causes, decisions.work()).transform(committed -> {
      if (committed.failed()) {
        LOG.debug("{} could not commit {} events decided together, deciding them one at a time: {}", consumer,
            causes.size(), committed.cause().toString());
        return Future.failedFuture(committed.cause());
      }
      decisions.work().notices().forEach(notice -> vertx.eventBus().publish(notice.address(), notice.body()));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      for (Decided each : decisions.decided()) {
        each.span().end("handled", null);
        metrics.delivered(consumer, each.waiting().event().type(), "handled", took);
        each.waiting().done().complete(Delivery.handled());
      }
      return Future.succeededFuture();
    });
  }

  private Future<Decisions> decideAll(List<Decided> decided) {
    if (handler != null) {
      return decideTogether(decided).map(work -> new Decisions(decided, work, List.of()));
    }
    List<Future<UnitOfWork>> each = decided.stream().map(this::decideOne).toList();
    return Future.join(each).transform(ignored -> {
      List<Decided> done = new ArrayList<>();
      List<Alone> failed = new ArrayList<>();
      List<UnitOfWork> works = new ArrayList<>();
      for (int i = 0; i < decided.size(); i++) {
        if (each.get(i).succeeded()) {
          done.add(decided.get(i));
          works.add(each.get(i).result());
        } else {
          decided.get(i).span().end("handled_alone", each.get(i).cause());
          failed.add(new Alone(decided.get(i).waiting(), each.get(i).cause()));
        }
      }
      return Future.succeededFuture(new Decisions(done, UnitOfWork.together(works), failed));
    });
  }

  private Future<UnitOfWork> decideOne(Decided event) {
    return guarded(() -> oneDecision.decide(event.received()));
  }

  private Future<UnitOfWork> decideTogether(List<Decided> decided) {
    return guarded(() -> handler.handle(decided.stream().<Received<? extends Record>>map(Decided::received).toList()));
  }

  /**
   * Hands these events of the batch to the one-at-a-time path, in batch order, each after the one
   * before is done with; each frees its subject when it is done. Completes when all are done.
   */
  private Future<Void> alone(List<Waiting> batch, List<Alone> events) {
    Future<Void> chain = Future.succeededFuture();
    for (Waiting each : batch) {
      for (Alone one : events) {
        if (one.waiting() == each) {
          chain = chain.eventually(() -> deliverAlone(one).onComplete(each.done()).onComplete(done -> {
            subjectsInFlight.remove(subjectOf(each));
            decideNext();
          }));
        }
      }
    }
    return chain.transform(ignored -> Future.succeededFuture());
  }

  private Future<Delivery> deliverAlone(Alone event) {
    return guarded(() -> oneByOne.deliver(event.waiting().event(), event.firstFailure()));
  }

  /** What a call returns, or its failure if it throws: no throw may leave a batch's events unanswered. */
  private static <T> Future<T> guarded(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException thrown) {
      return Future.failedFuture(thrown);
    }
  }
}
