package dev.switchboard.runtime;

import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.runtime.consumer.CappedUnreadable;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.DeadLetterReplays;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.projection.ReadModel;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ModuleStore;
import dev.switchboard.runtime.transport.RetryingSubscription;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a module gets from the runtime: the store as a module sees it ({@link ModuleStore}: reads,
 * and commits of its own decisions), a factory for envelopes, and the means to start a consumer on
 * whichever transport is configured and to keep a read model. Shared by the verticles of one node.
 */
public final class Eventing {

  private final Vertx vertx;
  private final EventStore store;
  private final Transport transport;
  private final EventSchemas schemas;
  private final EventFactory events;
  private final RetryPolicy retry;
  private final ProjectionRunner.Settings projections;
  private final EventMetrics metrics;
  private final int deadLetterMaxRawBytes;
  private final EventUpcasters upcasters;
  /** The consumers started on this node, subscribed or still trying. */
  private final Set<RetryingSubscription> subscriptions = ConcurrentHashMap.newKeySet();

  public Eventing(Vertx vertx, EventStore store, Transport transport, EventSchemas schemas, EventFactory events,
                  RetryPolicy retry, ProjectionRunner.Settings projections, EventMetrics metrics,
                  int deadLetterMaxRawBytes, EventUpcasters upcasters) {
    this.vertx = vertx;
    this.store = store;
    this.transport = transport;
    this.schemas = schemas;
    this.events = events;
    this.retry = retry;
    this.projections = projections;
    this.metrics = metrics;
    this.deadLetterMaxRawBytes = deadLetterMaxRawBytes;
    this.upcasters = upcasters;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The store as a module sees it: the runtime keeps the consumers' and the log's ports to itself. */
  public ModuleStore store() {
    return store;
  }

  public EventFactory events() {
    return events;
  }

  public RetryPolicy retry() {
    return retry;
  }

  public EventMetrics metrics() {
    return metrics;
  }

  /** The upcasters every event read by the runtime goes through; a module reading a stream applies them too. */
  public EventUpcasters upcasters() {
    return upcasters;
  }

  /**
   * Subscribes the consumer on the configured transport, with inbox, retries and dead letters, and
   * serves replays of its dead letters. A broker that is away does not fail the start: the consumer
   * subscribes when it answers ({@link RetryingSubscription}).
   */
  public Future<Subscription> start(EventConsumer consumer) {
    ConsumerRunner runner = new ConsumerRunner(vertx, store, schemas, consumer, retry, events.clock(), metrics,
        events.tracer(), upcasters);
    metrics.consumerStarted(consumer.name(), consumer.types());
    if ("local".equals(transport.name())) {
      metrics.readsLog(consumer.name(), consumer.types());
    }
    MessageConsumer<JsonObject> replays = DeadLetterReplays.serve(vertx, store, runner);
    return replays.completion()
        .compose(v -> RetryingSubscription.start(vertx, consumer.name(),
            () -> transport.subscribe(consumer.name(), consumer.types(),
                new CappedUnreadable(runner, deadLetterMaxRawBytes))))
        .map(subscription -> {
          subscriptions.add(subscription);
          return (Subscription) new WithReplays(subscription, replays, () -> subscriptions.remove(subscription));
        });
  }

  /**
   * The consumers started on this node that are not subscribed yet: their broker was away when they
   * started, and each tries again ({@link RetryingSubscription}). The node is not ready while any is.
   */
  public List<String> consumersNotSubscribed() {
    return subscriptions.stream().filter(subscription -> !subscription.subscribed())
        .map(RetryingSubscription::consumer).sorted().toList();
  }

  /**
   * Keeps a read model up to date from the log (whatever the transport: projections read the
   * store), on the calling context. Stop the runner when the module stops.
   */
  public Future<ProjectionRunner> project(ReadModel model) {
    ProjectionRunner runner = new ProjectionRunner(vertx, store, model, projections, upcasters);
    return runner.start().map(runner);
  }

  private record WithReplays(Subscription subscription, MessageConsumer<JsonObject> replays, Runnable forget)
      implements Subscription {
    @Override
    public String consumer() {
      return subscription.consumer();
    }

    @Override
    public Future<Void> close() {
      forget.run();
      return replays.unregister().compose(v -> subscription.close());
    }
  }
}
