package dev.switchboard.orders.application;

import dev.switchboard.contracts.TraceParent;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.orders.api.InvalidRequest.Problem;
import dev.switchboard.orders.api.PlaceOrderRequest;
import dev.switchboard.orders.domain.Decision;
import dev.switchboard.orders.domain.Order;
import dev.switchboard.orders.domain.OrderCommand.PlaceOrder;
import dev.switchboard.orders.domain.OrderState;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.ModuleStore;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>A key belongs to its customer: the answer is kept under the customer id and the key together,
 * so that two customers who happen to choose the same key get an order each and never see each
 * other's answer. A key expires after a configurable time ({@code orders.idempotencyKeyTtlSeconds}):
 * an expired key counts as unused, so that keys need not be unique for ever, and its answer is
 * written to expire then too, so that the node's pruning deletes it and the collection is not a
 * record of everything ever asked. Until the pruning comes by, an expired answer is still read, and
 * ignored here.
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

  private final ModuleStore store;
  private final EventFactory events;
  private final OrderStream orders;
  private final Duration keyTtl;
  private final RecentPrices prices;
  private final String currency;

  /**
   * @param keyTtl   how long an idempotency key is honoured; the time is the events' clock
   * @param currency the shop's currency (ISO 4217), which its catalog prices are in and orders are placed in
   */
  public PlacingOrder(ModuleStore store, EventFactory events, OrderStream orders, Duration keyTtl, String currency) {
    this.currency = currency;
    this.store = store;
    this.events = events;
    this.orders = orders;
    this.keyTtl = keyTtl;
    this.prices = new RecentPrices(store, orders.upcasters());
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
      return placeNew(orderId, request, null, ExpectedVersion.NONE, trace);
    }
    String fingerprint = fingerprint(request);
    Key key = new Key(request.customerId(), idempotencyKey, fingerprint);
    return earlierUse(key).compose(earlier -> earlier.answer() != null
        ? Future.succeededFuture(earlier.answer())
        : placeNew(orderId, request, key, earlier.revision(), trace).recover(failure ->
            failure instanceof ConcurrencyConflict
                ? earlierUse(key).compose(twin -> twin.answer() != null
                    ? Future.succeededFuture(twin.answer()) // a concurrent twin under the same key committed first
                    // no answer under the key still: its expired one was deleted meanwhile; once more, at its revision now
                    : placeNew(orderId, request, key, twin.revision(), trace))
                : Future.failedFuture(failure)));
  }

  /** A customer's idempotency key, and the fingerprint of the request that came with it. */
  private record Key(String customerId, String key, String fingerprint) {

    /**
     * The document id: the customer's id, its length first so that no customer id and key can be
     * read as another pair ({@code "a:b" + "c"} is not {@code "a" + "b:c"}).
     */
    String documentId() {
      return customerId.length() + ":" + customerId + ":" + key;
    }
  }

  /**
   * What an earlier use of the key left: its answer (null if the key is unused or expired), and the
   * revision to write the new answer at ({@link ExpectedVersion#NONE} if there is no document).
   */
  private record EarlierUse(Answer answer, long revision) {
  }

  private Future<Answer> placeNew(String orderId, PlaceOrderRequest request, Key key, long keyRevision,
                                  TraceParent trace) {
    return priced(request.items())
        .compose(items -> placeNew(orderId, request, items, key, keyRevision, trace));
  }

  /**
   * The lines at the catalog's prices. A price given must be the catalog's; a product the catalog
   * does not price keeps the price given (inventory refuses it as not stocked), and without one it
   * cannot be priced at all.
   */
  private Future<List<OrderLine>> priced(List<OrderLine> lines) {
    return this.prices.of(lines.stream().map(OrderLine::productId).toList()).compose(prices -> {
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

  private Future<Answer> placeNew(String orderId, PlaceOrderRequest request, List<OrderLine> items, Key key,
                                  long keyRevision, TraceParent trace) {
    PlaceOrder command = new PlaceOrder(orderId, request.customerId(), items, currency, request.shippingAddress());
    OrderState state = OrderState.initial(orderId);
    Decision.Accepted accepted = (Decision.Accepted) Order.decide(state, command);
    String requestId = key != null ? "idempotency-key:" + key.key() : events.newId();
    StreamAppend append = orders.append(state, accepted.events(), new EventFactory.Cause(orderId, requestId, trace));

    Answer answer = new Answer(202, new JsonObject().put("orderId", orderId).put("status", "PENDING"));
    UnitOfWork work = UnitOfWork.of(append);
    if (key != null) {
      Instant usedAt = events.clock().instant();
      work = work.and(new DocumentWrite(IDEMPOTENCY_COLLECTION, key.documentId(), keyRevision,
          new JsonObject().put("fingerprint", key.fingerprint()).put("answer", answer.toJson())
              .put("usedAt", usedAt.toString()))
          .expiringAt(usedAt.plus(keyTtl))); // the node's pruning deletes it some time after
    }
    return store.commit(work).map(answer);
  }

  /** The answer given earlier under this key, if it has not expired; fails if the key came with another request. */
  private Future<EarlierUse> earlierUse(Key key) {
    return store.document(IDEMPOTENCY_COLLECTION, key.documentId()).map(found -> {
      if (found.isEmpty()) {
        return new EarlierUse(null, ExpectedVersion.NONE);
      }
      JsonObject record = found.get().body();
      if (expired(record)) {
        return new EarlierUse(null, found.get().revision());
      }
      if (!key.fingerprint().equals(record.getString("fingerprint"))) {
        throw new KeyReused(key.key());
      }
      JsonObject answer = record.getJsonObject("answer");
      return new EarlierUse(new Answer(answer.getInteger("status"), answer.getJsonObject("body")),
          found.get().revision());
    });
  }

  private boolean expired(JsonObject record) {
    String usedAt = record.getString("usedAt");
    return usedAt != null && !Instant.parse(usedAt).plus(keyTtl).isAfter(events.clock().instant());
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
