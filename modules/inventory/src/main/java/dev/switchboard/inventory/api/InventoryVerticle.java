package dev.switchboard.inventory.api;

import dev.switchboard.inventory.application.StockKeeping;
import dev.switchboard.runtime.Eventing;
import dev.switchboard.runtime.transport.Subscription;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** The inventory module: reserves and releases stock as orders come and payments fail. */
public final class InventoryVerticle extends VerticleBase {

  private final Eventing eventing;
  private Subscription subscription;

  public InventoryVerticle(Eventing eventing) {
    this.eventing = eventing;
  }

  @Override
  public Future<?> start() {
    InventorySettings settings = InventorySettings.from(config());
    return eventing.start(new StockKeeping(eventing.store(), eventing.events(), settings).consumer())
        .onSuccess(started -> subscription = started);
  }

  @Override
  public Future<?> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }
}
