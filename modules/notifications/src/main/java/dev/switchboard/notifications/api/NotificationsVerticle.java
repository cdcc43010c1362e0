package dev.switchboard.notifications.api;

import dev.switchboard.notifications.application.Notifying;
import dev.switchboard.notifications.channel.LogChannel;
import dev.switchboard.runtime.Eventing;
import dev.switchboard.runtime.transport.Subscription;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** The notifications module: tells customers how their order ended, and operations of low stock. */
public final class NotificationsVerticle extends VerticleBase {

  private final Eventing eventing;
  private Subscription subscription;

  public NotificationsVerticle(Eventing eventing) {
    this.eventing = eventing;
  }

  @Override
  public Future<?> start() {
    return eventing.start(new Notifying(eventing.store(), eventing.events(), new LogChannel()).consumer())
        .onSuccess(started -> subscription = started);
  }

  @Override
  public Future<?> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }
}
