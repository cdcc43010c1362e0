package dev.switchboard.orders.application;

import dev.switchboard.contracts.TraceParent;
import dev.switchboard.orders.api.PlaceOrderRequest;
import dev.switchboard.orders.domain.Decision;
import dev.switchboard.orders.domain.Order;
import dev.switchboard.orders.domain.OrderCommand.PlaceOrder;
import dev.switchboard.orders.domain.OrderState;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Placing an order: the use case behind {@code POST /orders}.
 *
 * <p>The order's first event, its read-model row (so that the {@code Location} answered can be read
 * at once) and, under an {@code Idempotency-Key}, the answer given, are committed together. A retry
 * under the same key finds that answer and gets it again; the same key with a different request is
 * refused rather than silently answered with another order.
 */
public final class PlacingOrder {

  /** The answer to a placement: an HTTP-like status and body, as replayed under an idempotency key. */
  public record Answer(int status, JsonObject body) {
    public JsonObject toJson() {
      return new JsonObject().put("status", status).put("body", body);
    }
  }

  /** The key was used before with a different request. Maps to HTTP 422. */
  public static final class KeyReused extends RuntimeException {
    public KeyReused(String key) {
      super("Idempotency-Key \"" + key + "\" was already used with a different request.");
    }
  }

  static final String IDEMPOTENCY_COLLECTION = "orders-idempotency";

  private final EventStore store;
  private final EventFactory events;
  private final OrderStream orders;

  public PlacingOrder(EventStore store, EventFactory events, OrderStream orders) {
    this.store = store;
    this.events = events;
    this.orders = orders;
  }

  public Future<Answer> place(PlaceOrderRequest request, String idempotencyKey) {
    return place(request, idempotencyKey, null);
  }

  /** @param trace the client's trace context, continued by every event of the order; null starts a new one */
  public Future<Answer> place(PlaceOrderRequest request, String idempotencyKey, TraceParent trace) {
    return place(events.newId(), request, idempotencyKey, trace);
  }

  /**
   * @param orderId the id the order gets if it is placed now (not if an earlier answer under the key
   *                is given again): chosen by the caller, so that it can name the order to its client
   *                even when the outcome is unknown
   */
  public Future<Answer> place(String orderId, PlaceOrderRequest request, String idempotencyKey, TraceParent trace) {
    if (idempotencyKey == null) {
      return placeNew(orderId, request, null, trace);
    }
    String fingerprint = fingerprint(request);
    return earlierAnswer(idempotencyKey, fingerprint).compose(earlier -> earlier != null
        ? Future.succeededFuture(earlier)
        : placeNew(orderId, request, new Key(idempotencyKey, fingerprint), trace).recover(failure ->
            failure instanceof ConcurrencyConflict
                ? earlierAnswer(idempotencyKey, fingerprint).compose(twin -> twin != null
                    ? Future.succeededFuture(twin) // a concurrent twin under the same key committed first
                    : Future.failedFuture(failure))
                : Future.failedFuture(failure)));
  }

  private record Key(String key, String fingerprint) {
  }

  private Future<Answer> placeNew(String orderId, PlaceOrderRequest request, Key key, TraceParent trace) {
    PlaceOrder command = new PlaceOrder(orderId, request.customerId(), request.items());
    OrderState state = OrderState.initial(orderId);
    Decision.Accepted accepted = (Decision.Accepted) Order.decide(state, command);
    String requestId = key != null ? "idempotency-key:" + key.key() : events.newId();
    StreamAppend append = orders.append(state, accepted.events(), new EventFactory.Cause(orderId, requestId, trace));

    Answer answer = new Answer(202, new JsonObject().put("orderId", orderId).put("status", "PENDING"));
    UnitOfWork work = UnitOfWork.of(append);
    if (key != null) {
      work = work.and(new DocumentWrite(IDEMPOTENCY_COLLECTION, key.key(), ExpectedVersion.NONE,
          new JsonObject().put("fingerprint", key.fingerprint()).put("answer", answer.toJson())));
    }
    return store.commit(work).map(answer);
  }

  /** The answer given earlier under this key, null if none; fails if the key came with another request. */
  private Future<Answer> earlierAnswer(String key, String fingerprint) {
    return store.document(IDEMPOTENCY_COLLECTION, key).map(found -> {
      if (found.isEmpty()) {
        return null;
      }
      JsonObject record = found.get().body();
      if (!fingerprint.equals(record.getString("fingerprint"))) {
        throw new KeyReused(key);
      }
      JsonObject answer = record.getJsonObject("answer");
      return new Answer(answer.getInteger("status"), answer.getJsonObject("body"));
    });
  }

  private static String fingerprint(PlaceOrderRequest request) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(request.canonical().encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
