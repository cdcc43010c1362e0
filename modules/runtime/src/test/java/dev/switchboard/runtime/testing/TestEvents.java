package dev.switchboard.runtime.testing;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.orders.OrderCancelled;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * Valid event envelopes in one line, for tests: built with {@link EventFactory#system()} and the
 * types of the {@link EventCatalog}, so that the store accepts them. Every order is of one unit of
 * product {@value #PRODUCT} by customer {@value #CUSTOMER}; the correlation id is the order id.
 */
public final class TestEvents {

  public static final String PRODUCT = "sku-1";
  public static final String CUSTOMER = "customer-1";
  public static final BigDecimal DEFAULT_TOTAL = new BigDecimal("25.50");

  private static final EventFactory FACTORY = EventFactory.system();

  private TestEvents() {
  }

  /** A fresh, unique order id. */
  public static String newOrderId() {
    return "order-" + UUID.randomUUID();
  }

  /** {@code OrderPlaced} of one unit of {@value #PRODUCT} at {@code total}, which must be positive. */
  public static EventEnvelope orderPlaced(String orderId, BigDecimal total) {
    if (total.signum() <= 0) {
      throw new IllegalArgumentException("an order's total must be positive (its one line has that unit price)");
    }
    OrderPlaced data = new OrderPlaced(orderId, CUSTOMER, List.of(new OrderLine(PRODUCT, 1, total)), total,
        "EUR", null);
    return FACTORY.create(EventCatalog.ORDER_PLACED, orderId, data, cause(orderId));
  }

  public static EventEnvelope orderPlaced(String orderId) {
    return orderPlaced(orderId, DEFAULT_TOTAL);
  }

  public static EventEnvelope orderConfirmed(String orderId, BigDecimal total) {
    return FACTORY.create(EventCatalog.ORDER_CONFIRMED, orderId, new OrderConfirmed(orderId, CUSTOMER, total),
        cause(orderId));
  }

  public static EventEnvelope orderConfirmed(String orderId) {
    return orderConfirmed(orderId, DEFAULT_TOTAL);
  }

  public static EventEnvelope orderCancelled(String orderId, String reason) {
    return FACTORY.create(EventCatalog.ORDER_CANCELLED, orderId, new OrderCancelled(orderId, CUSTOMER, reason),
        cause(orderId));
  }

  /** {@code StockReserved} of one unit of {@value #PRODUCT}: an event of the inventory stream of the order. */
  public static EventEnvelope stockReserved(String orderId) {
    return FACTORY.create(EventCatalog.STOCK_RESERVED, orderId,
        new StockReserved(orderId, List.of(new StockLine(PRODUCT, 1))), cause(orderId));
  }

  /** {@code PaymentAuthorized}: an event of the payments stream of the order. */
  public static EventEnvelope paymentAuthorized(String orderId, BigDecimal amount) {
    return FACTORY.create(EventCatalog.PAYMENT_AUTHORIZED, orderId, new PaymentAuthorized(orderId, amount),
        cause(orderId));
  }

  /** The same envelope with other {@code data}: to build an event that breaks its schema. */
  /** An order placed as the release before OrderPlaced v2 wrote it: version 1, no currency, no address. */
  public static EventEnvelope orderPlacedV1(String orderId) {
    EventEnvelope newest = orderPlaced(orderId);
    JsonObject data = newest.data().copy();
    data.remove("currency");
    return new EventEnvelope(newest.id(), newest.type(), newest.source(), newest.subject(), newest.time(),
        EventCatalog.ORDER_PLACED.dataschema(1), 1, 0, newest.correlationid(), newest.causationid(), data,
        newest.traceparent());
  }

  public static EventEnvelope withData(EventEnvelope envelope, JsonObject data) {
    return new EventEnvelope(envelope.id(), envelope.type(), envelope.source(), envelope.subject(), envelope.time(),
        envelope.dataschema(), envelope.dataversion(), envelope.sequence(), envelope.correlationid(),
        envelope.causationid(), data);
  }

  /** An {@code OrderPlaced} whose data breaks its schema: no items, a negative total, no customer. */
  public static EventEnvelope invalidOrderPlaced(String orderId) {
    return withData(orderPlaced(orderId),
        new JsonObject().put("orderId", orderId).put("items", new JsonArray()).put("total", -1));
  }

  /** Appends events to the stream of the first one ({@link Streams#of(EventEnvelope)}) at a version. */
  public static StreamAppend append(long expectedVersion, EventEnvelope... events) {
    return new StreamAppend(Streams.of(events[0]), expectedVersion, List.of(events));
  }

  /** Starts the stream of the first event ({@link ExpectedVersion#NONE}) with these events. */
  public static StreamAppend newStream(EventEnvelope... events) {
    return append(ExpectedVersion.NONE, events);
  }

  /** A unit of work that starts the stream of the first event with these events. */
  public static UnitOfWork startStream(EventEnvelope... events) {
    return UnitOfWork.of(newStream(events));
  }

  /** A unit of work that appends these events after whatever their stream holds. */
  public static UnitOfWork appendAny(EventEnvelope... events) {
    return UnitOfWork.of(append(ExpectedVersion.ANY, events));
  }

  private static EventFactory.Cause cause(String orderId) {
    return new EventFactory.Cause(orderId, null);
  }
}
