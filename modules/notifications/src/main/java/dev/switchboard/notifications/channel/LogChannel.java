package dev.switchboard.notifications.channel;

import dev.switchboard.runtime.logging.LogValues;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each notification to the log: the channel of a laptop run. */
public final class LogChannel implements NotificationChannel {

  private static final Logger LOG = LoggerFactory.getLogger("switchboard.notifications");
  /** Notifications to the operations team name no person. */
  private static final String OPERATIONS = "operations";

  @Override
  public String name() {
    return "log";
  }

  @Override
  public Future<Void> send(String notificationId, String recipient, String message) {
    // a log is read by more people than the customer: the recipient is masked, the message kept on one line
    String shown = OPERATIONS.equals(recipient) ? recipient : LogValues.customer(recipient);
    LOG.atInfo()
        .addKeyValue("notificationId", notificationId)
        .addKeyValue("recipient", shown)
        .log("notification to {}: {}", shown, LogValues.escape(message));
    return Future.succeededFuture();
  }
}
