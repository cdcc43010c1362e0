package dev.switchboard.notifications.api;

import dev.switchboard.notifications.application.Notifying;
import dev.switchboard.notifications.channel.LogChannel;
import dev.switchboard.notifications.readmodel.SentNotifications;
import dev.switchboard.runtime.ConsumerVerticle;
import dev.switchboard.runtime.Eventing;
import io.vertx.core.Deployable;

import java.util.List;

/** The notifications module: tells customers how their order ended, and operations of low stock. */
public final class NotificationsVerticle {

  private NotificationsVerticle() {
  }

  public static Deployable create(Eventing eventing) {
    return new ConsumerVerticle(eventing,
        config -> List.of(new Notifying(eventing.store(), eventing.events(), new LogChannel()).consumer()),
        config -> List.of(SentNotifications.readModel()));
  }
}
