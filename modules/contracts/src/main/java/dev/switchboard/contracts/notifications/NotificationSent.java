package dev.switchboard.contracts.notifications;

/**
 * A notification went out. {@code kind} is {@code ORDER_CONFIRMED}, {@code ORDER_CANCELLED} or
 * {@code INVENTORY_LOW}; {@code about} is the order or product it concerns.
 */
public record NotificationSent(
    String notificationId, String kind, String about, String recipient, String channel, String message) {
}
