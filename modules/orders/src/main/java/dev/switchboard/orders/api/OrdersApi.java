package dev.switchboard.orders.api;

import io.vertx.core.json.JsonObject;

/**
 * The orders module's event-bus API, used by the HTTP edge of any node (the orders module may run
 * on another node of the cluster). Requests and replies are JSON objects.
 *
 * <p>Failures come back as a {@code ReplyException} whose failure code is the HTTP status that fits
 * and whose message is the JSON error body: 400 {@code {error, details}} for an invalid order, 404
 * {@code {error}} for an unknown one, 409 {@code {error, details}} for an order priced otherwise than the
 * catalog (each line named with the catalog's price), 422 {@code {error}} for an idempotency key reused with another
 * request, {@value #OUTCOME_UNKNOWN} {@link #outcomeUnknown} when an order may or may not have been
 * placed, 503 {@code {error}} when nothing was stored.
 *
 * <p>A read may name the {@code customerId} it acts for (the HTTP edge does, for a caller who may see
 * only its own orders): it then sees that customer's orders only, and another's order is unknown to it.
 */
public final class OrdersApi {

  /**
   * {@code {order: <request body>, orderId?, idempotencyKey?, traceparent?, deadline?}} →
   * {@code {status, body}} (status 202). {@code orderId} is the id a new order gets (the module
   * chooses one if absent); {@code deadline} (epoch milliseconds) is when the caller stops waiting:
   * a request taken up after it is refused (503) rather than placed unseen.
   */
  public static final String PLACE = "switchboard.orders.place";
  /** {@code {orderId, customerId?}} → the order's read model. */
  public static final String GET = "switchboard.orders.get";
  /** {@code {limit, customerId?}} → {@code {items:[read model…]}}: the orders changed last, newest first. */
  public static final String LIST = "switchboard.orders.list";
  /** {@code {orderId, customerId?, shape?}} → {@code {orderId, events:[…]}}, in the shape asked ({@link #SHAPE_STORED} if none). */
  public static final String EVENTS = "switchboard.orders.events";
  /** The {@code shape} of an {@link #EVENTS} request that asks for the events as they were stored (the default). */
  public static final String SHAPE_STORED = "stored";
  /** The {@code shape} that asks for every event upcast to its type's newest version, as the modules read it. */
  public static final String SHAPE_LATEST = "latest";
  /**
   * Published on every status change: {@code {orderId, customerId, status, reason?}}. The customer id is
   * for the bridge to tell each browser only its own orders; the bridge takes it out before a browser
   * sees the message.
   */
  public static final String STATUS = "orders.status";

  /**
   * The status (HTTP 504 Gateway Timeout) of a placement whose outcome is not known: the order may
   * have been placed. Unlike 503 it does not mean "nothing was done, try again".
   */
  public static final int OUTCOME_UNKNOWN = 504;

  private OrdersApi() {
  }

  /**
   * The body that tells a client its order may or may not have been placed, and how to find out
   * without placing it twice.
   *
   * @param keyed whether the request came with an {@code Idempotency-Key}
   */
  public static JsonObject outcomeUnknown(String orderId, boolean keyed, String why) {
    String next = keyed
        ? "Send the same request again with the same Idempotency-Key: it answers with the order if it was placed,"
            + " and places it once if it was not."
        : "Look the order up at its Location before placing it again: 404 there means it was not placed."
            + " (An Idempotency-Key would make sending it again safe.)";
    return new JsonObject()
        .put("error", "It is not known whether the order was placed: " + why + ". " + next)
        .put("outcome", "unknown")
        .put("orderId", orderId);
  }
}
