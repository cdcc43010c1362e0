package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.TraceParent;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.store.EventStore;
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

/**
 * Decides a batched consumer's events in batches (see {@link EventConsumer.Builder#inBatches}): the
 * events delivered while one batch is being decided and committed wait, and are decided together
 * next, on the state it committed; all of a batch's effects commit with its inbox entries in one
 * transaction. A batch holds at most one event of each subject, so an order's events still take
 * effect one after another.
 *
 * <p>When a batch cannot be committed (an event handled before, a concurrent write from another
 * node, a failing handler, the store away), its events are handed to the one-at-a-time path in
 * their order, which sorts out each with its retries, duplicates and dead letters. The next batch
 * waits for that. Not thread-safe: used on the consumer's context only.
 */
final class ConsumerBatches {

  private static final Logger LOG = LoggerFactory.getLogger(ConsumerBatches.class);
  /** Bounds one transaction: what is beyond it waits for the next batch. */
  static final int MAX_BATCH = 256;

  /** Handles one event the way an unbatched consumer does. */
  interface OneByOne {
    Future<Delivery> deliver(StoredEvent event);
  }

  /** Decodes an event for its handler, in the given trace; throws if it is poison. */
  interface Decoder {
    Received<? extends Record> decode(StoredEvent event, TraceParent trace);
  }

  private record Waiting(StoredEvent event, Promise<Delivery> done) {
  }

  private record Decided(Waiting waiting, EventTracer.Handling span, Received<? extends Record> received) {
  }

  private final Vertx vertx;
  private final EventStore store;
  private final String consumer;
  private final BatchHandler handler;
  private final Decoder decoder;
  private final OneByOne oneByOne;
  private final EventTracer tracer;
  private final EventMetrics metrics;
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private boolean deciding;

  ConsumerBatches(Vertx vertx, EventStore store, String consumer, BatchHandler handler, Decoder decoder,
                  OneByOne oneByOne, EventTracer tracer, EventMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.consumer = consumer;
    this.handler = handler;
    this.decoder = decoder;
    this.oneByOne = oneByOne;
    this.tracer = tracer;
    this.metrics = metrics;
  }

  /** Completes once the event's batch was committed, or the event was handled alone. */
  Future<Delivery> submit(StoredEvent event) {
    Promise<Delivery> done = Promise.promise();
    waiting.addLast(new Waiting(event, done));
    decideNext();
    return done.future();
  }

  private void decideNext() {
    if (deciding || waiting.isEmpty()) {
      return;
    }
    deciding = true;
    decide(takeBatch()).onComplete(finished -> {
      deciding = false;
      decideNext();
    });
  }

  private List<Waiting> takeBatch() {
    Set<String> subjects = new HashSet<>();
    List<Waiting> batch = new ArrayList<>();
    for (Iterator<Waiting> next = waiting.iterator(); next.hasNext() && batch.size() < MAX_BATCH; ) {
      Waiting candidate = next.next();
      // a second event of a subject is decided on what the first one leaves: in the next batch
      if (subjects.add(Objects.requireNonNullElse(candidate.event().envelope().subject(), candidate.event().id()))) {
        batch.add(candidate);
        next.remove();
      }
    }
    return batch;
  }

  /** Completes when every event of the batch is done with; never fails. */
  private Future<Void> decide(List<Waiting> batch) {
    long started = System.nanoTime();
    List<Decided> decided = new ArrayList<>(batch.size());
    List<Waiting> poison = new ArrayList<>();
    for (Waiting each : batch) {
      EventTracer.Handling span = tracer.handling(consumer, each.event().envelope());
      try {
        decided.add(new Decided(each, span, decoder.decode(each.event(), span.trace())));
      } catch (RuntimeException unreadable) {
        span.end("handled_alone", unreadable);
        poison.add(each); // the one-by-one path dead-letters it, with the reason
      }
    }
    if (decided.isEmpty()) {
      return alone(poison);
    }
    List<StoredEvent> causes = decided.stream().map(each -> each.waiting().event()).toList();
    return decideTogether(decided)
        .compose(work -> store.commitConsumedTogether(consumer, causes, work).map(work))
        .transform(committed -> {
          if (committed.failed()) {
            LOG.debug("{} could not commit {} events decided together, deciding them one at a time: {}", consumer,
                decided.size(), committed.cause().toString());
            decided.forEach(each -> each.span().end("handled_alone", committed.cause()));
            return alone(batch);
          }
          committed.result().notices().forEach(notice -> vertx.eventBus().publish(notice.address(), notice.body()));
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          for (Decided each : decided) {
            each.span().end("handled", null);
            metrics.delivered(consumer, each.waiting().event().type(), "handled", took);
            each.waiting().done().complete(Delivery.handled());
          }
          return alone(poison);
        });
  }

  private Future<UnitOfWork> decideTogether(List<Decided> decided) {
    try {
      return handler.handle(decided.stream().<Received<? extends Record>>map(Decided::received).toList());
    } catch (RuntimeException thrown) {
      return Future.failedFuture(thrown);
    }
  }

  /** Hands the events to the one-at-a-time path, in their order, each after the one before is done with. */
  private Future<Void> alone(List<Waiting> events) {
    Future<Void> chain = Future.succeededFuture();
    for (Waiting each : events) {
      chain = chain.eventually(() -> oneByOne.deliver(each.event()).onComplete(each.done()));
    }
    return chain.transform(ignored -> Future.succeededFuture());
  }
}
