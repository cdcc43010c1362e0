package dev.switchboard.orders.api;

/**
 * The orders module's event-bus API, used by the HTTP edge of any node (the orders module may run
 * on another node of the cluster). Requests and replies are JSON objects.
 *
 * <p>Failures come back as a {@code ReplyException} whose failure code is the HTTP status that fits
 * and whose message is the JSON error body: 400 {@code {error, details}} for an invalid order, 404
 * {@code {error}} for an unknown one, 422 {@code {error}} for an idempotency key reused with another
 * request.
 *
 * <p>A read may name the {@code customerId} it acts for (the HTTP edge does, for a caller who may see
 * only its own orders): it then sees that customer's orders only, and another's order is unknown to it.
 */
public final class OrdersApi {

  /**
   * {@code {order: <request body>, idempotencyKey?, traceparent?}} → {@code {status, body, location}}
   * (status 202).
   */
  public static final String PLACE = "switchboard.orders.place";
  /** {@code {orderId, customerId?}} → the order's read model. */
  public static final String GET = "switchboard.orders.get";
  /** {@code {limit, customerId?}} → {@code {items:[read model…]}}: the orders changed last, newest first. */
  public static final String LIST = "switchboard.orders.list";
  /** {@code {orderId, customerId?}} → {@code {orderId, events:[…]}}. */
  public static final String EVENTS = "switchboard.orders.events";
  /**
   * Published on every status change: {@code {orderId, customerId, status, reason?}}. The customer id is
   * for the bridge to tell each browser only its own orders; the bridge takes it out before a browser
   * sees the message.
   */
  public static final String STATUS = "orders.status";

  private OrdersApi() {
  }
}
