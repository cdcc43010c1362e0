package dev.switchboard.notifications.readmodel;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.notifications.NotificationSent;
import dev.switchboard.runtime.projection.ReadModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code notifications} read model: per order (or product), the notifications sent about it,
 * newest last: {@code {about, notifications: [{notificationId, kind, recipient, channel, message,
 * sentAt}]}}. Keeps the latest {@value #KEPT_PER_SUBJECT} per subject; the events keep them all.
 */
public final class SentNotifications {

  public static final String NAME = "notifications";
  public static final int KEPT_PER_SUBJECT = 50;

  private SentNotifications() {
  }

  public static ReadModel readModel() {
    return ReadModel.named(NAME)
        .rowsBySubject()
        .on(EventCatalog.NOTIFICATION_SENT, (event, rows) -> rows.get(event.data().about()).map(current -> {
          NotificationSent sent = event.data();
          JsonArray kept = current.map(row -> row.getJsonArray("notifications")).orElseGet(JsonArray::new);
          kept.add(new JsonObject()
              .put("notificationId", sent.notificationId())
              .put("kind", sent.kind())
              .put("recipient", sent.recipient())
              .put("channel", sent.channel())
              .put("message", sent.message())
              .put("sentAt", event.envelope().time()));
          while (kept.size() > KEPT_PER_SUBJECT) {
            kept.remove(0);
          }
          rows.put(sent.about(), new JsonObject().put("about", sent.about()).put("notifications", kept));
          return null;
        }))
        .build();
  }
}
