package dev.switchboard.runtime.transport.delivery;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.Transport;
import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A broker transport: a {@link Wire} and the delivery engine ({@link WireSubscription}) the runtime
 * writes once for every broker. Publishing sends the events as CloudEvents ({@link Outgoing#event});
 * subscribing opens the consumer's source and delivers what arrives; a consumer's dead letters are
 * copied to its dead-letter channel on the broker.
 */
public final class WireTransport implements Transport {

  /** The longest the engine waits for a source to stop or close, so that a broker gone cannot hold up a node's stop. */
  static final long SOURCE_CALL_TIMEOUT_MILLIS = 15_000;

  private static final Logger LOG = LoggerFactory.getLogger(WireTransport.class);

  private final Vertx vertx;
  private final Wire wire;
  private final Set<WireSubscription> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  public WireTransport(Vertx vertx, Wire wire) {
    this.vertx = vertx;
    this.wire = wire;
  }

  @Override
  public String name() {
    return wire.name();
  }

  /** The wire itself, for tests and tools that speak to the broker directly. */
  public Wire wire() {
    return wire;
  }

  @Override
  public Future<Void> publish(List<StoredEvent> events) {
    return wire.send(events.stream().map(event -> Outgoing.event(event.envelope())).toList());
  }

  /**
   * Opens the consumer's source and delivers what arrives. Fails at once, with an
   * {@link IllegalArgumentException}, for a consumer of no type of the catalog; otherwise as the wire's
   * {@link Wire#open} does.
   */
  @Override
  public Future<Subscription> subscribe(String consumer, Set<String> types, Inbound inbound) {
    if (closing) {
      return Future.failedFuture(new IllegalStateException("the " + wire.name() + " transport is closed"));
    }
    if (types.stream().noneMatch(type -> EventCatalog.byName(type).isPresent())) {
      return Future.failedFuture(new IllegalArgumentException(consumer + " subscribes to no event type of the catalog: "
          + types));
    }
    types.stream().filter(type -> EventCatalog.byName(type).isEmpty()).forEach(unknown ->
        LOG.warn("{} subscribes to {}, which the catalog does not know: no channel carries it", consumer, unknown));
    DeadLetterForwarder deadLetters = new DeadLetterForwarder(consumer, "the dead-letter channel of " + consumer,
        letter -> wire.send(List.of(Outgoing.deadLetter(letter))));
    return WireSubscription.open(vertx, consumer, types, inbound, wire, deadLetters, open::remove)
        .compose(subscription -> {
          open.add(subscription);
          if (closing) { // the transport closed while this one was opening
            return closeQuietly(subscription).transform(v -> Future.failedFuture(new IllegalStateException(
                "the " + wire.name() + " transport closed while " + consumer + " was subscribing")));
          }
          return Future.succeededFuture(subscription);
        });
  }

  @Override
  public Future<Void> ping() {
    return wire.ping();
  }

  /** The lag of each consumer subscribed here, as the wire reads it from the broker. */
  @Override
  public Future<Map<String, Long>> consumerLag() {
    Map<String, Set<String>> consumers = new TreeMap<>();
    open.forEach(subscription -> consumers.merge(subscription.consumer(), subscription.types(), (some, more) -> {
      Set<String> both = new TreeSet<>(some);
      both.addAll(more);
      return both;
    }));
    return wire.lag(consumers);
  }

  /** Closes the subscriptions still open (each lets the messages in hand finish), then the wire. Never fails. */
  @Override
  public Future<Void> close() {
    closing = true;
    List<Future<Void>> subscriptions = new ArrayList<>();
    open.forEach(subscription -> subscriptions.add(closeQuietly(subscription)));
    return Future.join(subscriptions)
        .transform(v -> wire.close())
        .recover(failure -> {
          LOG.warn("the {} transport did not close cleanly: {}", wire.name(), failure.toString());
          return Future.succeededFuture();
        });
  }

  private static Future<Void> closeQuietly(WireSubscription subscription) {
    return subscription.close()
        .timeout(subscription.closeTimeoutMillis(), TimeUnit.MILLISECONDS)
        .recover(failure -> {
          LOG.warn("{} did not close cleanly: {}", subscription.consumer(), failure.toString());
          return Future.succeededFuture();
        });
  }
}
