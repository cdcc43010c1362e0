package dev.switchboard.notifications.channel;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each notification to the log: the channel of a laptop run. */
public final class LogChannel implements NotificationChannel {

  private static final Logger LOG = LoggerFactory.getLogger("switchboard.notifications");

  @Override
  public String name() {
    return "log";
  }

  @Override
  public Future<Void> send(String notificationId, String recipient, String message) {
    LOG.atInfo()
        .addKeyValue("notificationId", notificationId)
        .addKeyValue("recipient", recipient)
        .log("notification to {}: {}", recipient, message);
    return Future.succeededFuture();
  }
}
