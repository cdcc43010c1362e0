package dev.switchboard.orders.application;

import dev.switchboard.contracts.TraceParent;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.orders.api.InvalidRequest.Problem;
import dev.switchboard.orders.api.PlaceOrderRequest;
import dev.switchboard.orders.domain.Decision;
import dev.switchboard.orders.domain.Order;
import dev.switchboard.orders.domain.OrderCommand.PlaceOrder;
import dev.switchboard.orders.domain.OrderState;
import dev.switchboard.orders.readmodel.CatalogPrices;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

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

  /**
   * The order is priced otherwise than the catalog, or names a product without a price and gives
   * none: nothing is placed. Maps to HTTP 409, each line's problem named with the catalog's price.
   */
  public static final class PricedOtherwise extends RuntimeException {
    private final transient List<Problem> problems;

    PricedOtherwise(List<Problem> problems) {
      super("The order is not priced as the catalog prices it.");
      this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
      return problems;
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
    return priced(request.items()).compose(items -> placeNew(orderId, request.customerId(), items, key, trace));
  }

  /**
   * The lines at the catalog's prices. A price given must be the catalog's; a product the catalog
   * does not price keeps the price given (inventory refuses it as not stocked), and without one it
   * cannot be priced at all.
   */
  private Future<List<OrderLine>> priced(List<OrderLine> lines) {
    return CatalogPrices.of(store, lines.stream().map(OrderLine::productId).toList()).compose(prices -> {
      List<Problem> problems = new ArrayList<>();
      List<OrderLine> priced = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        OrderLine line = lines.get(i);
        BigDecimal catalog = prices.get(line.productId());
        String field = "items[" + i + "].unitPrice";
        if (catalog == null && line.unitPrice() == null) {
          problems.add(new Problem(field, line.productId() + " has no price in the catalog"));
        } else if (catalog != null && line.unitPrice() != null && catalog.compareTo(line.unitPrice()) != 0) {
          problems.add(new Problem(field, "the catalog prices " + line.productId() + " at " + catalog.toPlainString()));
        } else {
          priced.add(new OrderLine(line.productId(), line.quantity(), catalog != null ? catalog : line.unitPrice()));
        }
      }
      return problems.isEmpty() ? Future.succeededFuture(priced) : Future.failedFuture(new PricedOtherwise(problems));
    });
  }

  private Future<Answer> placeNew(String orderId, String customerId, List<OrderLine> items, Key key, TraceParent trace) {
    PlaceOrder command = new PlaceOrder(orderId, customerId, items);
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
