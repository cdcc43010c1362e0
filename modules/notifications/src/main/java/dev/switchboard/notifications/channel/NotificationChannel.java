package dev.switchboard.notifications.channel;

import io.vertx.core.Future;

/**
 * Where notifications go out (the log today; mail or SMS later). Delivery to a channel is
 * at-least-once: a crash between sending and recording may send again, with the same
 * {@code notificationId}, which a real channel uses to drop the repeat.
 */
public interface NotificationChannel {

  String name();

  Future<Void> send(String notificationId, String recipient, String message);
}
