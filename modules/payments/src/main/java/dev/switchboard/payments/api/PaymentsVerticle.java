package dev.switchboard.payments.api;

import dev.switchboard.payments.application.Authorising;
import dev.switchboard.runtime.Eventing;
import dev.switchboard.runtime.transport.Subscription;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** The payments module: authorises or declines each order whose stock is reserved. */
public final class PaymentsVerticle extends VerticleBase {

  private final Eventing eventing;
  private Subscription subscription;

  public PaymentsVerticle(Eventing eventing) {
    this.eventing = eventing;
  }

  @Override
  public Future<?> start() {
    PaymentsSettings settings = PaymentsSettings.from(config());
    return eventing.start(new Authorising(eventing.store(), eventing.events(), settings).consumer())
        .onSuccess(started -> subscription = started);
  }

  @Override
  public Future<?> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }
}
