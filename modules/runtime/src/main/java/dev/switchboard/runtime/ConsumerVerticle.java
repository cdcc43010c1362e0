package dev.switchboard.runtime;

import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.projection.ProjectionRunner;
import dev.switchboard.runtime.projection.ReadModel;
import dev.switchboard.runtime.transport.Subscription;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A module that is nothing but consumers and read models: starts them from the module's
 * configuration section, and on stop lets each finish the event (or batch) in hand.
 */
public final class ConsumerVerticle extends VerticleBase {

  private final Eventing eventing;
  private final Function<JsonObject, List<EventConsumer>> consumers;
  private final Function<JsonObject, List<ReadModel>> readModels;
  private final Function<JsonObject, Future<?>> beforeConsuming;
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final List<ProjectionRunner> projections = new ArrayList<>();

  /**
   * @param consumers  builds the module's consumers from its configuration section
   * @param readModels builds the module's read models from its configuration section
   */
  public ConsumerVerticle(Eventing eventing, Function<JsonObject, List<EventConsumer>> consumers,
                          Function<JsonObject, List<ReadModel>> readModels) {
    this(eventing, consumers, readModels, config -> Future.succeededFuture());
  }

  /** @param beforeConsuming what the module does first, from its configuration section (publish its catalog, say) */
  public ConsumerVerticle(Eventing eventing, Function<JsonObject, List<EventConsumer>> consumers,
                          Function<JsonObject, List<ReadModel>> readModels,
                          Function<JsonObject, Future<?>> beforeConsuming) {
    this.eventing = eventing;
    this.consumers = consumers;
    this.readModels = readModels;
    this.beforeConsuming = beforeConsuming;
  }

  @Override
  public Future<?> start() {
    Future<Void> chain = beforeConsuming.apply(config()).mapEmpty();
    for (EventConsumer consumer : consumers.apply(config())) {
      chain = chain.compose(v -> eventing.start(consumer).map(subscription -> {
        subscriptions.add(subscription);
        return null;
      }));
    }
    for (ReadModel model : readModels.apply(config())) {
      chain = chain.compose(v -> eventing.project(model).map(runner -> {
        projections.add(runner);
        return null;
      }));
    }
    return chain;
  }

  @Override
  public Future<?> stop() {
    return Future.all(subscriptions.stream().map(Subscription::close).toList())
        .compose(v -> Future.all(projections.stream().map(ProjectionRunner::stop).toList()));
  }
}
